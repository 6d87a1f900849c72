/// A JPEG decoded to its own YCbCr planes (see `ImageDecoder.decodeYCbCr`).
public struct DecodedYCbCr: Sendable {
    /// Upright planes, possibly DCT-reduced.
    public var image: YCbCrImage
    public var colorModel: ColorModel
    /// The full size stored in the file, upright, before any DCT reduction.
    public var originalSize: PixelSize
    public var orientation: ExifOrientation
}
