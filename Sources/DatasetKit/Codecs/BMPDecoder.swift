/// A pure-Swift BMP decoder.
///
/// Reads 1/2/4/8-bit palette images (uncompressed, RLE8, RLE4), 16-bit (555 or BI_BITFIELDS
/// such as 565), 24-bit and 32-bit pixels, bottom-up or top-down. Alpha comes from an alpha mask
/// (BI_BITFIELDS/BI_ALPHABITFIELDS, or a V4/V5 header) and is composited by value over the
/// background; a 32-bit BI_RGB file without such a mask ignores its fourth byte.
enum BMPDecoder {
    /// Decodes a BMP file into RGB8 and reports its colour layout.
    ///
    /// Channel values of any mask width are scaled by value, `v * 255 / max` rounded. Palette
    /// indices past the colour table give black. An alpha mask whose alpha is zero in every pixel
    /// is ignored, since such files (common from some writers) are meant to be opaque.
    static func decode(_ bytes: UnsafeRawBufferPointer, background: RGBColor,
                       maxPixels: Int) throws(ImageError) -> (RGBImage, ColorModel) {
        let header = try BMPHeader(bytes, maxPixels: maxPixels)
        let src = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + header.dataOffset
        let available = bytes.count - header.dataOffset
        if header.compression == .rle8 || header.compression == .rle4 {
            let image = try decodeRLE(src, count: available, header)
            return (image, ColorModel(.palette, bitDepth: header.bitsPerPixel))
        }

        let width = header.width, height = header.height, bpp = header.bitsPerPixel
        let rowBytes = (width * bpp + 31) / 32 * 4
        // The last row's padding is often missing; accept that.
        let (body, overflow) = rowBytes.multipliedReportingOverflow(by: height - 1)
        let needed = body &+ (width * bpp + 7) / 8
        guard !overflow, needed <= available else {
            let need = overflow ? "far more" : "\(needed)"
            throw .truncated(format: .bmp, detail: "the pixel data has \(available) bytes but \(need) are needed")
        }
        /// The stored row shown as output row `y`.
        func row(_ y: Int) -> UnsafePointer<UInt8> {
            src + (header.topDown ? y : height - 1 - y) * rowBytes
        }

        if bpp <= 8 {
            let image = header.palette.withUnsafeBufferPointer { pal in
                RGBImage(width: width, height: height) { out in
                    for y in 0..<height { paletteRow(row(y), out.baseAddress! + y * width * 3, width, bpp, pal) }
                }
            }
            return (image, ColorModel(.palette, bitDepth: bpp))
        }
        if bpp == 24 || (bpp == 32 && header.alphaMask == 0 && header.redMask == 0xFF0000
                         && header.greenMask == 0xFF00 && header.blueMask == 0xFF) {
            // Plain BGR / BGRx bytes.
            let step = bpp / 8
            let image = RGBImage(width: width, height: height) { out in
                for y in 0..<height {
                    let s = row(y), d = out.baseAddress! + y * width * 3
                    for x in 0..<width {
                        d[3 * x] = s[step * x + 2]; d[3 * x + 1] = s[step * x + 1]; d[3 * x + 2] = s[step * x]
                    }
                }
            }
            return (image, ColorModel(.rgb, bitDepth: 8))
        }
        return decodeMasked(header, row: row, background: background)
    }

    /// One row of 1/2/4/8-bit palette indices (most significant bits first).
    private static func paletteRow(_ s: UnsafePointer<UInt8>, _ d: UnsafeMutablePointer<UInt8>,
                                   _ width: Int, _ bpp: Int, _ pal: UnsafeBufferPointer<UInt8>) {
        if bpp == 8 {
            for x in 0..<width {
                let i = Int(s[x]) * 3
                d[3 * x] = pal[i]; d[3 * x + 1] = pal[i + 1]; d[3 * x + 2] = pal[i + 2]
            }
            return
        }
        let perByte = 8 / bpp, mask = (1 << bpp) - 1
        for x in 0..<width {
            let shift = 8 - bpp * (x % perByte + 1)
            let i = (Int(s[x / perByte]) >> shift & mask) * 3
            d[3 * x] = pal[i]; d[3 * x + 1] = pal[i + 1]; d[3 * x + 2] = pal[i + 2]
        }
    }

    /// 16- and 32-bit pixels described by bit masks, with optional alpha.
    private static func decodeMasked(_ header: BMPHeader, row: (Int) -> UnsafePointer<UInt8>,
                                     background: RGBColor) -> (RGBImage, ColorModel) {
        let width = header.width, height = header.height, sixteen = header.bitsPerPixel == 16
        @inline(__always) func pixel(_ s: UnsafePointer<UInt8>, _ x: Int) -> UInt32 {
            sixteen ? UInt32(UnsafeRawPointer(s).loadUnaligned(fromByteOffset: 2 * x, as: UInt16.self).littleEndian)
                    : UnsafeRawPointer(s).loadUnaligned(fromByteOffset: 4 * x, as: UInt32.self).littleEndian
        }
        var alphaMask = header.alphaMask
        if alphaMask != 0 {
            var seen: UInt32 = 0
            for y in 0..<height where seen == 0 {
                let s = row(y)
                for x in 0..<width { seen |= pixel(s, x) & alphaMask }
            }
            if seen == 0 { alphaMask = 0 }
        }
        let hasAlpha = alphaMask != 0
        let r = MaskChannel(header.redMask), g = MaskChannel(header.greenMask)
        let b = MaskChannel(header.blueMask), a = MaskChannel(alphaMask)
        // One flat table of 256 entries per channel, for masks up to 8 bits wide.
        let tables = r.table + g.table + b.table + a.table
        let br = UInt32(background.red), bgG = UInt32(background.green), bb = UInt32(background.blue)
        let image = tables.withUnsafeBufferPointer { t in
            let tr = t.baseAddress!, tg = tr + 256, tb = tr + 512, ta = tr + 768
            return RGBImage(width: width, height: height) { out in
                for y in 0..<height {
                    let s = row(y), d = out.baseAddress! + y * width * 3
                    if !hasAlpha {
                        for x in 0..<width {
                            let p = pixel(s, x)
                            d[3 * x] = UInt8(r.value(p, tr)); d[3 * x + 1] = UInt8(g.value(p, tg))
                            d[3 * x + 2] = UInt8(b.value(p, tb))
                        }
                    } else {
                        for x in 0..<width {
                            let p = pixel(s, x), alpha = a.value(p, ta)
                            d[3 * x] = ByValue.composite8(r.value(p, tr), alpha: alpha, over: br)
                            d[3 * x + 1] = ByValue.composite8(g.value(p, tg), alpha: alpha, over: bgG)
                            d[3 * x + 2] = ByValue.composite8(b.value(p, tb), alpha: alpha, over: bb)
                        }
                    }
                }
            }
        }
        return (image, ColorModel(hasAlpha ? .rgba : .rgb, bitDepth: header.sampleBits))
    }

    /// RLE8/RLE4: runs and literal spans of palette indices, with end-of-line, delta and
    /// end-of-bitmap escapes. Pixels the stream skips take palette entry 0, as Pillow does;
    /// pixels past the right edge are dropped.
    private static func decodeRLE(_ src: UnsafePointer<UInt8>, count: Int,
                                  _ header: BMPHeader) throws(ImageError) -> RGBImage {
        let width = header.width, height = header.height, four = header.compression == .rle4
        let pal = header.palette
        var image = RGBImage(width: width, height: height,
                             fill: RGBColor(red: pal[0], green: pal[1], blue: pal[2]))
        var p = 0, x = 0, y = 0  // y counts stored rows
        image.pixels.withUnsafeMutableBufferPointer { out in
            @inline(__always) func put(_ index: UInt8) {
                if x < width && y < height {
                    let d = ((header.topDown ? y : height - 1 - y) * width + x) * 3, i = Int(index) * 3
                    out[d] = pal[i]; out[d + 1] = pal[i + 1]; out[d + 2] = pal[i + 2]
                }
                x += 1
            }
            while y < height && p + 2 <= count {
                let n = Int(src[p]), v = src[p + 1]
                p += 2
                if n > 0 {
                    for i in 0..<n { put(four ? (i & 1 == 0 ? v >> 4 : v & 0x0F) : v) }
                } else if v == 0 {
                    x = 0; y += 1
                } else if v == 1 {
                    y = height + 1  // end of bitmap
                } else if v == 2 {
                    guard p + 2 <= count else { p = count + 1; break }
                    x += Int(src[p]); y += Int(src[p + 1]); p += 2
                } else {
                    let n = Int(v), length = four ? (n + 1) / 2 : n
                    guard p + length <= count else { p = count + 1; break }
                    for i in 0..<n { put(four ? (i & 1 == 0 ? src[p + i / 2] >> 4 : src[p + i / 2] & 0x0F) : src[p + i]) }
                    p += (length + 1) & ~1  // literal spans are padded to 16 bits
                }
            }
        }
        // Running out before the last row means the file was cut short.
        guard y >= height - 1, p <= count else {
            throw .truncated(format: .bmp, detail: "the RLE data ends at row \(y) of \(height)")
        }
        return image
    }
}

/// One colour or alpha channel of a bit-masked pixel, scaled to 0...255 by value.
private struct MaskChannel {
    let mask: UInt32, shift: UInt32, maxValue: UInt32
    /// `scale(v)` for every `v` of a mask up to 8 bits wide (the usual case), so the pixel
    /// loop does no division; 256 entries whatever the width.
    let table: [UInt8]

    init(_ mask: UInt32) {
        self.mask = mask
        let shift = mask == 0 ? 0 : UInt32(mask.trailingZeroBitCount)
        let maxValue = mask >> shift
        self.shift = shift
        self.maxValue = maxValue
        table = (0..<256).map { v in
            maxValue == 0 || v > maxValue ? 0 : ByValue.scale(UInt32(v), maxValue: maxValue)
        }
    }

    /// The channel of `pixel` on 0...255; `table` points at this channel's copy of `table`.
    @inline(__always)
    func value(_ pixel: UInt32, _ table: UnsafePointer<UInt8>) -> UInt32 {
        let v = (pixel & mask) >> shift
        return maxValue <= 255 ? UInt32(table[Int(v)]) : UInt32(ByValue.scale(v, maxValue: maxValue))
    }
}
