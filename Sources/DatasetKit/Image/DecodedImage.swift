/// An image decoded from a file, with what the file said about itself.
public struct DecodedImage: Sendable {
    /// RGB8 pixels, upright if orientation was applied, possibly DCT-reduced (see `DecodeOptions.reduceTo`).
    public var image: RGBImage
    /// The format detected from the bytes.
    public var format: ImageFormat
    /// The colour layout in the file.
    public var colorModel: ColorModel
    /// The full size stored in the file, upright (after orientation), before any DCT reduction.
    public var originalSize: PixelSize
    /// The EXIF orientation found (`.up` when there was none).
    public var orientation: ExifOrientation

    public init(image: RGBImage, format: ImageFormat, colorModel: ColorModel,
                originalSize: PixelSize, orientation: ExifOrientation = .up) {
        self.image = image
        self.format = format
        self.colorModel = colorModel
        self.originalSize = originalSize
        self.orientation = orientation
    }
}
