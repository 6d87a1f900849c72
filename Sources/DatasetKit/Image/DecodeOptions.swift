/// How to turn a file's bytes into an `RGBImage`.
public struct DecodeOptions: Sendable, Hashable {
    /// Colour that transparent pixels are composited over (PNG, BMP with alpha).
    public var background: RGBColor = .white
    /// Rotate/flip JPEGs as their EXIF orientation tag says, as viewers and Pillow's
    /// `ImageOps.exif_transpose` do. Off gives the stored pixel grid.
    public var applyOrientation: Bool = true
    /// When set, a JPEG may be decoded at a reduced DCT scale (libjpeg's M/8 scaled IDCT) as
    /// long as the result, after orientation, stays at least this large in both dimensions.
    /// This is a fast, high-quality pre-reduction; the final resize does the rest.
    public var reduceTo: PixelSize? = nil
    /// Refuse images with more pixels than this (a decompression-bomb guard). Pillow raises at
    /// about 179 million pixels; we stop earlier because nobody trains on such images.
    public var maxPixels: Int = 100_000_000

    public init(background: RGBColor = .white, applyOrientation: Bool = true,
                reduceTo: PixelSize? = nil, maxPixels: Int = 100_000_000) {
        self.background = background
        self.applyOrientation = applyOrientation
        self.reduceTo = reduceTo
        self.maxPixels = maxPixels
    }
}
