// TEMPORARY: replaced by the real codecs from the `codecs` branch before merge.
enum PNGCodec {
    static func decode(_ bytes: UnsafeRawBufferPointer, background: RGBColor, maxPixels: Int) throws(ImageError) -> (RGBImage, ColorModel) { throw .unsupported(format: .png, detail: "pending") }
    static func encode(_ image: RGBImage, compressionLevel: Int) throws(ImageError) -> [UInt8] { throw .encodeFailed(format: .png, detail: "pending") }
}
enum BMPDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, background: RGBColor, maxPixels: Int) throws(ImageError) -> (RGBImage, ColorModel) { throw .unsupported(format: .bmp, detail: "pending") }
}
enum PNMDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, maxPixels: Int) throws(ImageError) -> (RGBImage, ColorModel) { throw .unsupported(format: .pnm, detail: "pending") }
}
