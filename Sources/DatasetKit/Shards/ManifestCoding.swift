/// The JSON form of `manifest.json`. The image preparation is one object, `preparation`;
/// manifests written before it existed hold only `resize` and `normalization` at the top
/// level, and read as that resize and normalisation with the default decode settings (white
/// background, EXIF orientation applied, DCT reduction on: what every `pack` did then unless
/// told otherwise, and the flags that said otherwise were not recorded).
extension Manifest {
    private enum CodingKeys: String, CodingKey {
        case formatVersion, format, classes, labels, image, preparation, statistics, shuffleSeed, splits, part
        /// Before `preparation`.
        case resize, normalization
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        format = try c.decode(ShardFormat.self, forKey: .format)
        classes = try c.decode([String].self, forKey: .classes)
        labels = try c.decode(LabelKind.self, forKey: .labels)
        image = try c.decode(ImageLayout.self, forKey: .image)
        if let preparation = try c.decodeIfPresent(ImagePreparation.self, forKey: .preparation) {
            // Two records of one setting could disagree; the reader could not tell which holds.
            for key in [CodingKeys.resize, .normalization] where c.contains(key) {
                throw DecodingError.dataCorruptedError(forKey: key, in: c,
                    debugDescription: "is also in preparation: a manifest holds it in one place")
            }
            self.preparation = preparation
        } else {
            preparation = ImagePreparation(resize: try c.decode(ResizeSpec.self, forKey: .resize),
                                           normalization: try c.decode(Normalization.self, forKey: .normalization))
        }
        statistics = try c.decode(PixelStatistics.self, forKey: .statistics)
        shuffleSeed = try c.decodeIfPresent(UInt64.self, forKey: .shuffleSeed)
        splits = try c.decode([Split].self, forKey: .splits)
        part = try c.decodeIfPresent(Part.self, forKey: .part)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(format, forKey: .format)
        try c.encode(classes, forKey: .classes)
        try c.encode(labels, forKey: .labels)
        try c.encode(image, forKey: .image)
        try c.encode(preparation, forKey: .preparation)
        try c.encode(statistics, forKey: .statistics)
        try c.encodeIfPresent(shuffleSeed, forKey: .shuffleSeed)
        try c.encode(splits, forKey: .splits)
        try c.encodeIfPresent(part, forKey: .part)
    }
}
