/// How sample photos are sized and compressed. The default looks like Food-101: the longer
/// side 512 px, the other 56-100% of it, landscape or portrait, JPEG quality 75-95.
public struct SamplePhotoStyle: Sendable, Hashable {
    /// The longer side in pixels.
    public var maxSide: Int
    /// JPEG quality 1-100; nil picks 75-95 per image, like a dataset gathered from many sources.
    public var quality: Int?

    public init(maxSide: Int = 512, quality: Int? = nil) {
        precondition(maxSide > 0, "the longer side must be positive")
        precondition(quality.map { (1...100).contains($0) } ?? true, "JPEG quality is 1-100")
        self.maxSide = maxSide
        self.quality = quality
    }

    /// Renders and encodes one photo, its size and quality drawn from (seed, item).
    public func jpeg(item: String, seed: UInt64,
                     render: (PixelSize) -> RGBImage) throws(ImageError) -> [UInt8] {
        var rng = SeededGenerator(seed: seed, item: item)
        let long = maxSide, short = max(1, Int(rng.uniform(Double(maxSide) * 0.5625...Double(maxSide))))
        let size = rng.unit() < 0.5 ? PixelSize(width: long, height: short) : PixelSize(width: short, height: long)
        let drawn = 75 + Int(rng.next() % 21)
        return try ImageEncoder.encode(render(size), as: .jpeg(quality: quality ?? drawn, subsampling: .s420))
    }
}
