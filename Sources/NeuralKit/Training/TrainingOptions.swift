/// The settings of one training run (`dataset train`'s options).
public struct TrainingOptions: Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerSettings
    /// Seeds weights, shuffling, augmentation and dropout.
    public var seed: UInt64
    /// Stop after this many epochs without a better monitored loss (nil: never).
    public var patience: Int?
    public var augmentation: Augmentation
    /// OpenMP threads for oneDNN.
    public var threads: Int

    public init(epochs: Int = 10, batchSize: Int = 32, optimizer: OptimizerSettings = OptimizerSettings(kind: .adam),
                seed: UInt64 = 1, patience: Int? = nil, augmentation: Augmentation = Augmentation(),
                threads: Int = ComputeEngine.defaultThreads) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.patience = patience
        self.augmentation = augmentation
        self.threads = threads
    }
}

/// Where a training run is, after each batch (for a progress bar).
public struct BatchProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batches: Int
    /// Running means over the epoch so far.
    public var loss: Double
    public var accuracy: Double
    public var imagesPerSecond: Double
    /// Seconds since the epoch started.
    public var elapsed: Double
}

/// One epoch's figures: a row of `history.csv`.
public struct EpochRecord: Sendable, Equatable, Codable {
    /// 1-based.
    public var epoch: Int
    public var loss: Double
    public var accuracy: Double
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// Training time of the epoch (validation excluded).
    public var seconds: Double
    public var imagesPerSecond: Double

    /// The loss early stopping and the best checkpoint watch.
    var monitored: Double { validationLoss ?? loss }
}
