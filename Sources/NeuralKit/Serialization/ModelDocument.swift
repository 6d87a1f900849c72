import DatasetKit

/// `model.json`: everything besides the weights that `evaluate` and `predict` need, plus how
/// the model was trained.
public struct ModelDocument: Sendable, Equatable, Codable {
    public static let formatName = "dataset-model"
    public static let currentVersion = 1

    public var format = ModelDocument.formatName
    public var version = ModelDocument.currentVersion
    public var architecture: ModelSpec
    /// Classes, labels kind, input, normalisation and resize of the training data.
    public var data: DatasetDescription
    /// Multi-label: a class is predicted when its probability reaches this.
    public var threshold: Double
    public var training: TrainingRecord?

    public init(architecture: ModelSpec, data: DatasetDescription, threshold: Double = 0.5, training: TrainingRecord? = nil) {
        self.architecture = architecture
        self.data = data
        self.threshold = threshold
        self.training = training
    }
}

/// How a model was trained, and where it stopped.
public struct TrainingRecord: Sendable, Equatable, Codable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerSettings
    public var seed: UInt64
    public var augmentation: Augmentation
    public var patience: Int?
    /// Where validation data came from: a split name, or `fraction 0.1` of train.
    public var validation: String?
    public var threads: Int
    /// Epochs run (fewer than `epochs` after an early stop).
    public var epochsRun: Int
    /// The epoch (1-based) whose weights were saved.
    public var savedEpoch: Int
    public var stoppedEarly: Bool
    public var trainExamples: Int
    public var validationExamples: Int
}
