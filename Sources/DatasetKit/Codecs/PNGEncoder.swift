import CPNG

extension PNGCodec {
    /// Encodes an RGB8 image as a non-interlaced 8-bit RGB PNG with libpng's adaptive filters,
    /// at zlib `compressionLevel` 0 (stored) to 9 (smallest). Lossless: decoding gives the
    /// same pixels back.
    static func encode(_ image: RGBImage, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
        guard (0...9).contains(compressionLevel) else {
            throw .encodeFailed(format: .png, detail: "compression level \(compressionLevel) is outside 0-9")
        }
        guard image.width <= 0x7FFF_FFFF, image.height <= 0x7FFF_FFFF else {
            throw .encodeFailed(format: .png, detail: "\(image.width)x\(image.height) is larger than PNG allows")
        }
        guard let writer = dataset_png_writer_create() else {
            throw .encodeFailed(format: .png, detail: "out of memory")
        }
        defer { dataset_png_writer_destroy(writer) }
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            dataset_png_write_rgb8(writer, pixels.baseAddress, UInt32(image.width), UInt32(image.height),
                                   image.stride, Int32(compressionLevel))
        }
        guard status == Int32(DATASET_PNG_OK.rawValue), let data = dataset_png_writer_data(writer) else {
            throw .encodeFailed(format: .png, detail: String(cString: dataset_png_writer_message(writer)))
        }
        return Array(UnsafeBufferPointer(start: data, count: dataset_png_writer_size(writer)))
    }
}
