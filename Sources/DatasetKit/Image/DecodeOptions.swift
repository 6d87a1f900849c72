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
    /// The file size and pixel count above which an image is refused (see `InputLimits`).
    public var limits = InputLimits()

    /// Refuse images with more pixels than this (a decompression-bomb guard; `limits.maxPixels`).
    public var maxPixels: Int {
        get { limits.maxPixels }
        set { limits.maxPixels = newValue }
    }

    public init(background: RGBColor = .white, applyOrientation: Bool = true,
                reduceTo: PixelSize? = nil, maxPixels: Int = InputLimits.defaultMaxPixels,
                maxFileBytes: Int = InputLimits.defaultMaxFileBytes, maxJPEGScans: Int = InputLimits.defaultMaxJPEGScans) {
        self.background = background
        self.applyOrientation = applyOrientation
        self.reduceTo = reduceTo
        self.limits = InputLimits(maxFileBytes: maxFileBytes, maxPixels: maxPixels, maxJPEGScans: maxJPEGScans)
    }
}
