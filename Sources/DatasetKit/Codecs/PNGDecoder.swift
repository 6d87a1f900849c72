import CPNG

extension PNGCodec {
    /// Decodes any PNG into RGB8: palette (with tRNS), gray 1/2/4/8/16-bit (with tRNS),
    /// gray+alpha, RGB, RGBA, 8 or 16 bits per sample, interlaced (Adam7) or not.
    ///
    /// - 16-bit samples are reduced by value, `(v * 255 + 32767) / 65535`; gamma and colour
    ///   chunks are ignored. Gray expands to R = G = B.
    /// - Alpha (including tRNS) is composited by value over `background`. 8-bit:
    ///   `(c * a + bg * (255 - a) + 127) / 255`. 16-bit: composited at 16-bit precision and
    ///   rounded once (see `ByValue.composite16`), not reduced first.
    /// - Throws `.tooLarge` from IHDR before allocating, `.truncated` when the bytes stop early,
    ///   `.corrupt` with libpng's reason for bad data (CRC errors in critical chunks, bad zlib data).
    static func decode(_ bytes: UnsafeRawBufferPointer, background: RGBColor,
                       maxPixels: Int) throws(ImageError) -> (RGBImage, ColorModel) {
        let size = try headerSize(bytes)
        try InputLimits(maxPixels: maxPixels).checkPixels(width: size.width, height: size.height, format: .png)
        guard let base = bytes.baseAddress, let reader = dataset_png_reader_create(base, bytes.count) else {
            throw .corrupt(format: .png, detail: "out of memory starting the PNG reader")
        }
        defer { dataset_png_reader_destroy(reader) }

        var info = dataset_png_info()
        try check(dataset_png_read_info(reader, &info), reader, size: bytes.count)
        let width = Int(info.width), height = Int(info.height)
        let channels = Int(info.channels), sixteen = info.sample_bits == 16
        // The row kernels below trust this layout; make sure libpng agrees.
        guard width == size.width, height == size.height, (1...4).contains(channels),
              info.sample_bits == 8 || sixteen,
              info.rowbytes == width * channels * (sixteen ? 2 : 1) else {
            throw .corrupt(format: .png, detail: "unexpected row layout from libpng")
        }
        let interlaced = info.interlaced != 0
        let outStride = width * 3

        if channels == 3 && !sixteen {
            // RGB8: libpng writes straight into the output image.
            let image = try RGBImage.decoding(width: width, height: height) { out throws(ImageError) in
                let status = interlaced
                    ? dataset_png_read_image(reader, out.baseAddress!, outStride)
                    : dataset_png_read_rows(reader, out.baseAddress!, outStride, UInt32(height))
                try check(status, reader, size: bytes.count)
            }
            return (image, colorModel(info))
        }

        let converter = PNGRowConverter(channels: channels, sixteen: sixteen, background: background)
        let rowBytes = info.rowbytes
        let image: RGBImage
        if interlaced {
            // Adam7 needs the whole image in the file's layout before any row is complete.
            var raw = [UInt8](repeating: 0, count: rowBytes * height)
            try raw.withUnsafeMutableBufferPointer { buffer throws(ImageError) in
                try check(dataset_png_read_image(reader, buffer.baseAddress!, rowBytes), reader, size: bytes.count)
            }
            image = try RGBImage.decoding(width: width, height: height) { out throws(ImageError) in
                raw.withUnsafeBufferPointer { src in
                    for y in 0..<height {
                        converter.convert(src.baseAddress! + y * rowBytes, out.baseAddress! + y * outStride, width: width)
                    }
                }
            }
        } else {
            // One scratch row, converted into the output as it arrives.
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: rowBytes)
            defer { scratch.deallocate() }
            image = try RGBImage.decoding(width: width, height: height) { out throws(ImageError) in
                for y in 0..<height {
                    try check(dataset_png_read_rows(reader, scratch, rowBytes, 1), reader, size: bytes.count)
                    converter.convert(scratch, out.baseAddress! + y * outStride, width: width)
                }
            }
        }
        return (image, colorModel(info))
    }
}

/// Converts one row of libpng's expanded output (gray, gray+alpha, RGB, RGBA; 8-bit or
/// big-endian 16-bit) to RGB8 by value.
struct PNGRowConverter {
    let channels: Int
    let sixteen: Bool
    let background: RGBColor

    func convert(_ src: UnsafePointer<UInt8>, _ dst: UnsafeMutablePointer<UInt8>, width: Int) {
        let br = UInt32(background.red), bg = UInt32(background.green), bb = UInt32(background.blue)
        @inline(__always) func s16(_ i: Int) -> UInt32 { UInt32(src[i]) << 8 | UInt32(src[i + 1]) }
        switch (channels, sixteen) {
        case (1, false):
            for x in 0..<width {
                let v = src[x]
                dst[3 * x] = v; dst[3 * x + 1] = v; dst[3 * x + 2] = v
            }
        case (2, false):
            for x in 0..<width {
                let v = UInt32(src[2 * x]), a = UInt32(src[2 * x + 1])
                dst[3 * x] = ByValue.composite8(v, alpha: a, over: br)
                dst[3 * x + 1] = ByValue.composite8(v, alpha: a, over: bg)
                dst[3 * x + 2] = ByValue.composite8(v, alpha: a, over: bb)
            }
        case (3, false):
            dst.update(from: src, count: width * 3)
        case (4, false):
            for x in 0..<width {
                let a = UInt32(src[4 * x + 3])
                dst[3 * x] = ByValue.composite8(UInt32(src[4 * x]), alpha: a, over: br)
                dst[3 * x + 1] = ByValue.composite8(UInt32(src[4 * x + 1]), alpha: a, over: bg)
                dst[3 * x + 2] = ByValue.composite8(UInt32(src[4 * x + 2]), alpha: a, over: bb)
            }
        case (1, true):
            for x in 0..<width {
                let v = ByValue.reduce16(s16(2 * x))
                dst[3 * x] = v; dst[3 * x + 1] = v; dst[3 * x + 2] = v
            }
        case (2, true):
            for x in 0..<width {
                let v = s16(4 * x), a = s16(4 * x + 2)
                dst[3 * x] = ByValue.composite16(v, alpha: a, over: br)
                dst[3 * x + 1] = ByValue.composite16(v, alpha: a, over: bg)
                dst[3 * x + 2] = ByValue.composite16(v, alpha: a, over: bb)
            }
        case (3, true):
            for i in 0..<(width * 3) { dst[i] = ByValue.reduce16(s16(2 * i)) }
        default:  // (4, true)
            for x in 0..<width {
                let a = s16(8 * x + 6)
                dst[3 * x] = ByValue.composite16(s16(8 * x), alpha: a, over: br)
                dst[3 * x + 1] = ByValue.composite16(s16(8 * x + 2), alpha: a, over: bg)
                dst[3 * x + 2] = ByValue.composite16(s16(8 * x + 4), alpha: a, over: bb)
            }
        }
    }
}
