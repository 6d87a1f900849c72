/// Per-channel mean and standard deviation of RGB pixels, accumulated image by image.
///
/// Sums are exact integers (pixel values and their squares), so the result is the same
/// whatever order or thread the images were added in; mean and std are derived at the end, in
/// the 0-1 scale trainers normalise with (`transforms.Normalize(mean, std)`).
public struct ChannelStatistics: Sendable, Hashable {
    /// Pixels added (each has three channels).
    public private(set) var pixelCount: Int = 0
    public private(set) var sums: SIMD3<UInt64> = .zero
    public private(set) var squareSums: SIMD3<UInt64> = .zero

    public init() {}

    /// Statistics from their exact sums (as a `--shard` worker's manifest records them).
    public init(pixelCount: Int, sums: SIMD3<UInt64>, squareSums: SIMD3<UInt64>) {
        self.pixelCount = pixelCount
        self.sums = sums
        self.squareSums = squareSums
    }

    /// The statistics of one image.
    public init(_ image: RGBImage) {
        image.pixels.withUnsafeBufferPointer { add(pixels: $0) }
    }

    /// Adds interleaved RGB8 pixels.
    public mutating func add(pixels: UnsafeBufferPointer<UInt8>) {
        precondition(pixels.count % 3 == 0, "RGB pixels come in threes")
        // Per row of at most 4096 pixels, 32-bit sums cannot overflow (4096 * 255² < 2³²).
        var start = 0
        while start < pixels.count {
            let end = min(pixels.count, start + 3 * 4096)
            var s = SIMD3<UInt32>.zero, q = SIMD3<UInt32>.zero
            var i = start
            while i < end {
                let v = SIMD3<UInt32>(UInt32(pixels[i]), UInt32(pixels[i + 1]), UInt32(pixels[i + 2]))
                s &+= v
                q &+= v &* v
                i += 3
            }
            sums &+= SIMD3<UInt64>(truncatingIfNeeded: s)
            squareSums &+= SIMD3<UInt64>(truncatingIfNeeded: q)
            start = end
        }
        pixelCount += pixels.count / 3
    }

    public mutating func add(_ image: RGBImage) {
        image.pixels.withUnsafeBufferPointer { add(pixels: $0) }
    }

    public mutating func merge(_ other: ChannelStatistics) {
        pixelCount += other.pixelCount
        sums &+= other.sums
        squareSums &+= other.squareSums
    }

    /// Mean of each channel (R, G, B) on the 0-1 scale; zeros when empty.
    public var mean: [Double] {
        guard pixelCount > 0 else { return [0, 0, 0] }
        return (0..<3).map { Double(sums[$0]) / Double(pixelCount) / 255 }
    }

    /// Population standard deviation of each channel on the 0-1 scale; zeros when empty.
    public var std: [Double] {
        guard pixelCount > 0 else { return [0, 0, 0] }
        let n = Double(pixelCount)
        return (0..<3).map { c in
            let m = Double(sums[c]) / n
            return (max(0, Double(squareSums[c]) / n - m * m)).squareRoot() / 255
        }
    }
}
