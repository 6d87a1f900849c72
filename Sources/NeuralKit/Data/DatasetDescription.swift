import DatasetKit

/// What a model must know about the data it was trained on to read new data the same way:
/// the classes in label order, single- or multi-label, how pixels were normalised and, for
/// images, how they were fitted to the size (so `predict` prepares a photo as `pack` did).
public struct DatasetDescription: Sendable, Equatable, Codable {
    public var classes: [String]
    public var multiLabel: Bool
    public var input: ModelSpec.InputShape
    /// Applied to uint8 pixels while batching; for float32 shards, what `pack` already applied.
    public var normalization: Normalization
    /// The element type of the shards (`uint8` or `float32`).
    public var element: NPYDType
    /// How `pack` resized the images (nil for feature vectors).
    public var resize: ResizeSpec?

    public init(classes: [String], multiLabel: Bool, input: ModelSpec.InputShape, normalization: Normalization,
                element: NPYDType, resize: ResizeSpec?) {
        self.classes = classes
        self.multiLabel = multiLabel
        self.input = input
        self.normalization = normalization
        self.element = element
        self.resize = resize
    }
}
