/// How pixel values become the numbers a network sees: `(pixel * scale - mean[c]) / std[c]`.
///
/// Recorded in the manifest so a trainer applies it to uint8 shards, or applied when packing
/// `float32` shards. The names are those of the tutorials: raw values (`none`), Keras'
/// `rescale=1./255` (`rescale`), torchvision's ImageNet `Normalize` (`imagenet`), and the
/// dataset's own mean and std (`dataset`).
public struct Normalization: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case none, rescale, imagenet, dataset
    }

    public var kind: Kind
    /// Applied to the 0-255 value first: 1/255, or 1 for `none`.
    public var scale: Double
    /// Per channel (R, G, B), subtracted after scaling.
    public var mean: [Double]
    /// Per channel (R, G, B), divided by last.
    public var std: [Double]

    public init(kind: Kind, scale: Double, mean: [Double], std: [Double]) {
        self.kind = kind
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    public static let none = Normalization(kind: .none, scale: 1, mean: [0, 0, 0], std: [1, 1, 1])
    public static let rescale = Normalization(kind: .rescale, scale: 1.0 / 255, mean: [0, 0, 0], std: [1, 1, 1])
    public static let imagenet = Normalization(kind: .imagenet, scale: 1.0 / 255,
                                               mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// The dataset's own statistics (a channel with zero spread keeps std 1, so nothing divides by 0).
    public static func dataset(_ statistics: ChannelStatistics) -> Normalization {
        Normalization(kind: .dataset, scale: 1.0 / 255, mean: statistics.mean, std: statistics.std.map { $0 > 0 ? $0 : 1 })
    }

    /// The named normalisation; `dataset` takes `statistics` (required for it).
    public init(_ kind: Kind, statistics: ChannelStatistics? = nil) {
        switch kind {
        case .none: self = .none
        case .rescale: self = .rescale
        case .imagenet: self = .imagenet
        case .dataset: self = .dataset(statistics ?? ChannelStatistics())
        }
    }

    /// Why this normalisation cannot be used, naming the field (`std[1] is 0: ...`), or nil when
    /// it can. A manifest or model file read from disk may carry anything; a zero, negative or
    /// non-finite std would turn every pixel into NaN or infinity and train a broken model.
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
        return nil
    }

    /// One value.
    public func apply(_ pixel: UInt8, channel: Int) -> Float {
        Float((Double(pixel) * scale - mean[channel]) / std[channel])
    }

    /// Interleaved RGB8 pixels as little-endian float32 bytes, normalised.
    public func float32Bytes(_ pixels: [UInt8]) -> [UInt8] {
        // 3 x 256 precomputed values: the same float for the same input, and fast.
        let table = (0..<3).flatMap { c in (0..<256).map { apply(UInt8($0), channel: c).bitPattern.littleEndian } }
        return [UInt8](unsafeUninitializedCapacity: pixels.count * 4) { out, initialized in
            let words = UnsafeMutableRawBufferPointer(out)
            table.withUnsafeBufferPointer { t in
                for i in pixels.indices {
                    words.storeBytes(of: t[(i % 3) << 8 | Int(pixels[i])], toByteOffset: i * 4, as: UInt32.self)
                }
            }
            initialized = pixels.count * 4
        }
    }
}
