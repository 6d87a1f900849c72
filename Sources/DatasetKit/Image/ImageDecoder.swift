/// Decodes any supported format, detected from the bytes.
public enum ImageDecoder {
    /// Decodes `bytes` into RGB8, applying `options`.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(ImageError) -> DecodedImage {
        guard !bytes.isEmpty else { throw .empty }
        guard let format = ImageFormat.detect(bytes) else {
            throw .unknownFormat(leadingBytes: hexPrefix(bytes))
        }
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ImageError) -> DecodedImage in try decode(raw, as: format, options: options) }
        }
        return try result.get()
    }

    /// Decodes a JPEG to its own YCbCr planes (upright, possibly DCT-reduced as `options`
    /// allow), for JPEG-to-JPEG work that never needs RGB. Nil when `bytes` is not a YCbCr or
    /// grayscale JPEG (other formats and CMYK decode with `decode`).
    public static func decodeYCbCr(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws(ImageError) -> DecodedYCbCr? {
        guard ImageFormat.detect(bytes) == .jpeg else { return nil }
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ImageError) -> DecodedYCbCr? in try JPEGDecoder.decodeYCbCr(raw, options: options) }
        }
        return try result.get()
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, as format: ImageFormat,
                               options: DecodeOptions) throws(ImageError) -> DecodedImage {
        let decoded: (RGBImage, ColorModel)
        switch format {
        case .jpeg: return try JPEGDecoder.decode(raw, options: options)
        case .png: decoded = try PNGCodec.decode(raw, background: options.background, maxPixels: options.maxPixels)
        case .bmp: decoded = try BMPDecoder.decode(raw, background: options.background, maxPixels: options.maxPixels)
        case .pnm: decoded = try PNMDecoder.decode(raw, maxPixels: options.maxPixels)
        }
        let (image, model) = decoded
        return DecodedImage(image: image, format: format, colorModel: model,
                            originalSize: PixelSize(width: image.width, height: image.height))
    }

    /// The first bytes in hex, for "not an image" messages.
    static func hexPrefix(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return bytes.prefix(8).map { b in String([digits[Int(b >> 4)], digits[Int(b & 0xf)]]) }.joined(separator: " ")
    }
}
