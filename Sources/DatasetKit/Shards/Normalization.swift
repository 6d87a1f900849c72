/// How pixel values become the numbers a network sees: network channel `c` gets
/// `(pixel[channelOrder.sourceChannel(c)] * scale - mean[c]) / std[c]`.
///
/// Part of an `ImagePreparation`, recorded in the manifest (a trainer applies it to uint8
/// shards) or applied when packing `float32` shards. The names are those of the tutorials: raw
/// values (`none`), Keras' `rescale=1./255` (`rescale`), Keras' `preprocess_input` modes for
/// pretrained backbones (`torch`: x/255 then ImageNet mean/std, torchvision's `Normalize`;
/// `caffe`: BGR minus the ImageNet mean, VGG16 and ResNet50; `tf`: x/127.5 - 1, MobileNetV2 and
/// Inception V3), and the dataset's own mean and std (`dataset`).
public struct Normalization: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case none, rescale, torch, caffe, tf, dataset

        /// The kind called `name`; `imagenet` is the old name of `torch` (same numbers), so
        /// manifests, model files and scripts that say it keep working.
        public init?(name: String) {
            if name == "imagenet" { self = .torch } else if let kind = Kind(rawValue: name) { self = kind } else { return nil }
        }

        public init(from decoder: any Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            guard let kind = Kind(name: name) else {
                throw DecodingError.dataCorrupted(DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "'\(printableName(name))' is not a normalisation (\(Kind.allCases.map(\.rawValue).joined(separator: ", ")))"))
            }
            self = kind
        }
    }

    public var kind: Kind
    /// Applied to the 0-255 value first: 1/255, 1/127.5, or 1 for `none` and `caffe`.
    public var scale: Double
    /// Per network channel (in `channelOrder`), subtracted after scaling.
    public var mean: [Double]
    /// Per network channel (in `channelOrder`), divided by last.
    public var std: [Double]
    /// Which decoded channel each network channel reads: `bgr` for `caffe`, else `rgb`.
    public var channelOrder: ChannelOrder

    public init(kind: Kind, scale: Double, mean: [Double], std: [Double], channelOrder: ChannelOrder = .rgb) {
        self.kind = kind
        self.scale = scale
        self.mean = mean
        self.std = std
        self.channelOrder = channelOrder
    }

    /// Files written before channel orders were recorded hold RGB.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        scale = try container.decode(Double.self, forKey: .scale)
        mean = try container.decode([Double].self, forKey: .mean)
        std = try container.decode([Double].self, forKey: .std)
        channelOrder = try container.decodeIfPresent(ChannelOrder.self, forKey: .channelOrder) ?? .rgb
    }

    public static let none = Normalization(kind: .none, scale: 1, mean: [0, 0, 0], std: [1, 1, 1])
    public static let rescale = Normalization(kind: .rescale, scale: 1.0 / 255, mean: [0, 0, 0], std: [1, 1, 1])
    /// Keras' `preprocess_input` mode "torch": x/255, then the ImageNet mean and std (RGB).
    public static let torch = Normalization(kind: .torch, scale: 1.0 / 255,
                                            mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    /// The old name of `torch`.
    public static var imagenet: Normalization { .torch }
    /// Keras' mode "caffe": channels reversed to BGR, the ImageNet mean (B, G, R) subtracted, no scaling.
    public static let caffe = Normalization(kind: .caffe, scale: 1, mean: [103.939, 116.779, 123.68], std: [1, 1, 1],
                                            channelOrder: .bgr)
    /// Keras' mode "tf": x/127.5 - 1, every value in [-1, 1].
    public static let tf = Normalization(kind: .tf, scale: 1 / 127.5, mean: [1, 1, 1], std: [1, 1, 1])

    /// The dataset's own statistics (a channel with zero spread keeps std 1, so nothing divides by 0).
    public static func dataset(_ statistics: ChannelStatistics) -> Normalization {
        Normalization(kind: .dataset, scale: 1.0 / 255, mean: statistics.mean, std: statistics.std.map { $0 > 0 ? $0 : 1 })
    }

    /// The named normalisation; `dataset` takes `statistics` (required for it).
    public init(_ kind: Kind, statistics: ChannelStatistics? = nil) {
        self = Normalization.defined(kind) ?? .dataset(statistics ?? ChannelStatistics())
    }

    /// The fixed numbers of a named kind; nil for `dataset`, whose numbers are measured.
    static func defined(_ kind: Kind) -> Normalization? {
        switch kind {
        case .none: Normalization.none
        case .rescale: .rescale
        case .torch: .torch
        case .caffe: .caffe
        case .tf: .tf
        case .dataset: nil
        }
    }

    /// Why this normalisation cannot be used, naming the field (`std[1] is 0: ...`), or nil when
    /// it can. A manifest or model file read from disk may carry anything; a zero, negative or
    /// non-finite std would turn every pixel into NaN or infinity and train a broken model, and
    /// a named kind with other numbers would be read one way by a Python loader trusting the
    /// name and another by the trainer.
    public var problem: String? {
        guard scale.isFinite, scale > 0 else { return "scale is \(scale): it must be a positive number" }
        for (field, values) in [("mean", mean), ("std", std)] where values.count != 3 {
            return "\(field) has \(values.count) values: it needs one per channel (3)"
        }
        if let c = mean.firstIndex(where: { !$0.isFinite }) { return "mean[\(c)] is \(mean[c]): it must be a finite number" }
        if let c = std.firstIndex(where: { !($0.isFinite && $0 > 0) }) { return "std[\(c)] is \(std[c]): it must be a positive number" }
        // Linear in the pixel, so the extremes bound every value.
        for c in 0..<3 where !(apply(0, channel: c).isFinite && apply(255, channel: c).isFinite) {
            return "mean[\(c)] \(mean[c]) and std[\(c)] \(std[c]) make pixel values overflow float32"
        }
        if let defined = Normalization.defined(kind) {
            // JSON written by another tool may round the last digit; the numbers are exact to far less.
            func near(_ a: [Double], _ b: [Double]) -> Bool { zip(a, b).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) } }
            let name = kind.rawValue
            if channelOrder != defined.channelOrder { return "channelOrder is \(channelOrder.rawValue), but \(name) is \(defined.channelOrder.rawValue)" }
            if !near([scale], [defined.scale]) { return "scale is \(scale), but \(name)'s is \(defined.scale)" }
            if !near(mean, defined.mean) { return "mean is \(mean), but \(name)'s is \(defined.mean)" }
            if !near(std, defined.std) { return "std is \(std), but \(name)'s is \(defined.std)" }
        }
        return nil
    }

    /// The value of network channel `channel` for `pixel`, the value of the decoded channel it
    /// reads (`channelOrder.sourceChannel(channel)`).
    public func apply(_ pixel: UInt8, channel: Int) -> Float {
        Float((Double(pixel) * scale - mean[channel]) / std[channel])
    }

    /// Interleaved RGB8 pixels as little-endian float32 bytes, normalised, in `channelOrder`.
    public func float32Bytes(_ pixels: [UInt8]) -> [UInt8] {
        // 3 x 256 precomputed values: the same float for the same input, and fast.
        let table = (0..<3).flatMap { c in (0..<256).map { apply(UInt8($0), channel: c).bitPattern.littleEndian } }
        let source = (0..<3).map(channelOrder.sourceChannel)
        return [UInt8](unsafeUninitializedCapacity: pixels.count * 4) { out, initialized in
            let words = UnsafeMutableRawBufferPointer(out)
            table.withUnsafeBufferPointer { t in
                // Whole pixels only: a partial one (never made by a decoder) stays unwritten.
                for start in stride(from: 0, to: pixels.count - pixels.count % 3, by: 3) {
                    for c in 0..<3 {
                        words.storeBytes(of: t[c << 8 | Int(pixels[start + source[c]])], toByteOffset: (start + c) * 4, as: UInt32.self)
                    }
                }
            }
            initialized = (pixels.count - pixels.count % 3) * 4
        }
    }
}
