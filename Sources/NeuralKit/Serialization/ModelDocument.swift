import DatasetKit

/// `model.json`: everything besides the weights that `evaluate` and `predict` need, plus how
/// the model was trained.
public struct ModelDocument: Sendable, Equatable, Codable {
    public static let formatName = "dataset-model"
    public static let currentVersion = 1

    public var format = ModelDocument.formatName
    public var version = ModelDocument.currentVersion
    public var architecture: ModelSpec
    /// Classes, labels kind, input and image preparation (decode settings, resize,
    /// normalisation) of the training data.
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

extension ModelDocument {
    /// Checks everything `evaluate` and `predict` rely on before a network is built from it:
    /// the architecture (see `ModelSpec.validate`), one class name per output, data that match
    /// the architecture, a usable normalisation, a preparation whose resize gives the input
    /// size, and a threshold in [0, 1]. Errors name the field (`data.classes lists 2 classes, ...`).
    public func validate() throws(ModelError) {
        try architecture.validate(field: "architecture.")
        // Photos and shards are RGB; batches are filled through one table per channel.
        if case .image(_, _, let channels) = architecture.input, channels != 3 {
            throw .file("architecture.input.channels is \(channels); models read RGB images (3)")
        }
        let outputs = architecture.outputCount ?? 0
        guard data.classes.count == outputs else {
            throw .file("data.classes lists \(data.classes.count) classes; the model's last layer has \(outputs) units (one per class)")
        }
        guard data.input == architecture.input else {
            throw .file("data.input is \(data.input); architecture.input is \(architecture.input)")
        }
        guard data.multiLabel == (architecture.head == .sigmoid) else {
            throw .file("data.multiLabel is \(data.multiLabel) but architecture.head is \(architecture.head.rawValue)")
        }
        guard data.element == .uint8 || data.element == .float32 else {
            throw .file("data.element is \(data.element.name); models read uint8 or float32")
        }
        if let preparation = data.preparation {
            // `pack` resizes every image to the input size; anything else would make `predict`
            // prepare an image of another size (or of any size, for `shorter`). The same check
            // as a manifest's (`ImagePreparation.problem`).
            guard case let .image(height, width, _) = architecture.input else {
                throw .file("data.preparation prepares images; the model reads \(architecture.input)")
            }
            let resize = preparation.resize
            if let problem = preparation.problem(size: PixelSize(width: width, height: height)) {
                throw .file(problem.field == "normalization"
                    ? "data.preparation.normalization.\(problem.reason)"
                    : "data.preparation.resize is \(resize.size.width)x\(resize.size.height) \(resize.mode.rawValue); the model reads \(architecture.input): \(problem.reason)")
            }
        } else if let problem = data.normalization.problem {
            throw .file("data.normalization.\(problem)")
        }
        guard threshold.isFinite, (0...1).contains(threshold) else { throw .file("threshold is \(threshold); it must be in [0, 1]") }
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
