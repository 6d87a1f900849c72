import CPNG

extension PNGCodec {
    /// Encodes an RGB8 image as a non-interlaced 8-bit RGB PNG with libpng's adaptive filters,
    /// at zlib `compressionLevel` 0 (stored) to 9 (smallest). Lossless: decoding gives the
    /// same pixels back.
    static func encode(_ image: RGBImage, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
        try write(image.pixels, layout(image.width, image.height, image.stride, DATASET_PNG_WRITE_RGB, compressionLevel))
    }

    /// Encodes an RGBA8 image (colour type 6: RGB plus an alpha channel).
    static func encode(_ image: RGBAImage, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
        try write(image.pixels, layout(image.width, image.height, image.stride, DATASET_PNG_WRITE_RGBA, compressionLevel))
    }

    /// Encodes a palette image (colour type 3: PLTE, plus tRNS when some entries have alpha).
    static func encode(_ image: IndexedImage, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
        // libpng writes out-of-range indices without complaint; decoders then reject the file.
        let count = UInt8(image.palette.count - 1)
        if let bad = image.indices.firstIndex(where: { $0 > count }) {
            throw .encodeFailed(format: .png, detail: "pixel \(bad) uses palette entry \(image.indices[bad]), "
                                + "but the palette has \(image.palette.count) entries")
        }
        var base = try layout(image.width, image.height, image.width, DATASET_PNG_WRITE_PALETTE, compressionLevel)
        let rgb = image.palette.flatMap { [$0.red, $0.green, $0.blue] }
        return try rgb.withUnsafeBufferPointer { palette throws(ImageError) in
            try image.alpha.withUnsafeBufferPointer { alpha throws(ImageError) in
                base.palette = palette.baseAddress
                base.palette_count = Int32(image.palette.count)
                base.trns = alpha.baseAddress
                base.trns_count = Int32(image.alpha.count)
                return try write(image.indices, base)
            }
        }
    }

    private static func layout(_ width: Int, _ height: Int, _ stride: Int, _ type: dataset_png_write_type,
                               _ compressionLevel: Int) throws(ImageError) -> dataset_png_write_layout {
        guard (0...9).contains(compressionLevel) else {
            throw .encodeFailed(format: .png, detail: "compression level \(compressionLevel) is outside 0-9")
        }
        guard width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw .encodeFailed(format: .png, detail: "\(width)x\(height) is larger than PNG allows")
        }
        var layout = dataset_png_write_layout()
        layout.width = UInt32(width)
        layout.height = UInt32(height)
        layout.stride = stride
        layout.color_type = type
        layout.compression_level = Int32(compressionLevel)
        return layout
    }

    private static func write(_ pixels: [UInt8], _ layout: dataset_png_write_layout) throws(ImageError) -> [UInt8] {
        guard let writer = dataset_png_writer_create() else {
            throw .encodeFailed(format: .png, detail: "out of memory")
        }
        defer { dataset_png_writer_destroy(writer) }
        var layout = layout
        let status = pixels.withUnsafeBufferPointer { pixels in dataset_png_write(writer, pixels.baseAddress, &layout) }
        guard status == Int32(DATASET_PNG_OK.rawValue), let data = dataset_png_writer_data(writer) else {
            throw .encodeFailed(format: .png, detail: String(cString: dataset_png_writer_message(writer)))
        }
        return Array(UnsafeBufferPointer(start: data, count: dataset_png_writer_size(writer)))
    }
}
