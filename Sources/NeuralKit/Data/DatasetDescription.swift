import DatasetKit

/// What a model must know about the data it was trained on to read new data the same way:
/// the classes in label order, single- or multi-label, and, for images, the whole preparation
/// `pack` recorded (decode settings, resize, normalisation), so `predict` prepares a photo
/// exactly as the training images were.
public struct DatasetDescription: Sendable, Equatable {
    public var classes: [String]
    public var multiLabel: Bool
    public var input: ModelSpec.InputShape
    /// The element type of the shards (`uint8` or `float32`).
    public var element: NPYDType
    /// How image files became the training rows and the rows network inputs; nil for data that
    /// did not come from image files (feature vectors, images made in memory).
    public var preparation: ImagePreparation?
    /// The normalisation of data without a preparation.
    private var unpreparedNormalization: Normalization

    /// Applied to uint8 values while batching; for float32 shards, what `pack` already applied.
    public var normalization: Normalization { preparation?.normalization ?? unpreparedNormalization }
    /// How `pack` resized the images (nil without a preparation).
    public var resize: ResizeSpec? { preparation?.resize }

    /// Data prepared from image files by `preparation`.
    public init(classes: [String], multiLabel: Bool, input: ModelSpec.InputShape, element: NPYDType, preparation: ImagePreparation) {
        self.classes = classes
        self.multiLabel = multiLabel
        self.input = input
        self.element = element
        self.preparation = preparation
        unpreparedNormalization = preparation.normalization
    }

    /// Data normalised by `normalization`; with a `resize`, images prepared by it with the
    /// default decode settings.
    public init(classes: [String], multiLabel: Bool, input: ModelSpec.InputShape, normalization: Normalization,
                element: NPYDType, resize: ResizeSpec?) {
        self.classes = classes
        self.multiLabel = multiLabel
        self.input = input
        self.element = element
        preparation = resize.map { ImagePreparation(resize: $0, normalization: normalization) }
        unpreparedNormalization = normalization
    }

    /// How `data` would reach a model trained on this data prepared differently (the setting,
    /// with both values), or nil when it would not. The normalisation counts only when `data` is
    /// float32, which holds it already; uint8 data is normalised as the model was trained.
    public func preparationMismatch(_ data: DatasetDescription) -> String? {
        guard let trained = preparation, var given = data.preparation else { return nil }
        if data.element != .float32 { given.normalization = trained.normalization }
        guard let difference = given.difference(from: trained) else { return nil }
        return "preparation.\(difference.field) is \(difference.this), the model was trained on \(difference.other)"
    }

    /// Equal when they read data the same way (a normalisation set aside by a later
    /// `preparation` does not count).
    public static func == (a: DatasetDescription, b: DatasetDescription) -> Bool {
        (a.classes, a.multiLabel, a.input, a.element, a.preparation, a.normalization)
            == (b.classes, b.multiLabel, b.input, b.element, b.preparation, b.normalization)
    }
}

/// The JSON form in `model.json`: `preparation` whole, or `normalization` alone for data
/// without one. Files written before `preparation` existed hold `normalization` and an
/// optional `resize`; they read as that resize with the default decode settings (what `pack`
/// did unless told otherwise, and the flags that said otherwise were not recorded then).
extension DatasetDescription: Codable {
    private enum CodingKeys: String, CodingKey {
        case classes, multiLabel, input, element, preparation, normalization
        /// Before `preparation`.
        case resize
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let (classes, multiLabel) = (try c.decode([String].self, forKey: .classes), try c.decode(Bool.self, forKey: .multiLabel))
        let (input, element) = (try c.decode(ModelSpec.InputShape.self, forKey: .input), try c.decode(NPYDType.self, forKey: .element))
        if let preparation = try c.decodeIfPresent(ImagePreparation.self, forKey: .preparation) {
            // Two records of one setting could disagree; the reader could not tell which holds.
            for key in [CodingKeys.normalization, .resize] where c.contains(key) {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "is also in data.preparation: a model file holds it in one place")
            }
            self.init(classes: classes, multiLabel: multiLabel, input: input, element: element, preparation: preparation)
        } else {
            self.init(classes: classes, multiLabel: multiLabel, input: input, normalization: try c.decode(Normalization.self, forKey: .normalization),
                      element: element, resize: try c.decodeIfPresent(ResizeSpec.self, forKey: .resize))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classes, forKey: .classes)
        try c.encode(multiLabel, forKey: .multiLabel)
        try c.encode(input, forKey: .input)
        try c.encode(element, forKey: .element)
        if let preparation { try c.encode(preparation, forKey: .preparation) } else { try c.encode(normalization, forKey: .normalization) }
    }
}
