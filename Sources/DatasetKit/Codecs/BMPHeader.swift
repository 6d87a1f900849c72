/// The parts of a BMP's file header, info header, bit masks and colour table that decoding needs.
///
/// Reads OS/2 1.x core headers (12 bytes), OS/2 2.x headers (16-64 bytes) and Windows
/// BITMAPINFOHEADER and its V2-V5 extensions (40, 52, 56, 108, 124 bytes).
struct BMPHeader {
    enum Compression: Equatable { case none, rle8, rle4, bitfields }

    var width = 0
    var height = 0
    /// Rows stored top row first (negative height in the file).
    var topDown = false
    var bitsPerPixel = 0
    var compression = Compression.none
    /// Channel masks for 16/32-bit pixels; `alphaMask == 0` means no alpha.
    var redMask: UInt32 = 0, greenMask: UInt32 = 0, blueMask: UInt32 = 0, alphaMask: UInt32 = 0
    /// 256 RGB triples (entries past the file's table are black, so any index is safe).
    var palette: [UInt8] = []
    /// Byte offset of the pixel data.
    var dataOffset = 0

    init(_ b: UnsafeRawBufferPointer, maxPixels: Int) throws(ImageError) {
        guard !b.isEmpty else { throw .empty }
        guard b[0] == 0x42, b.count < 2 || b[1] == 0x4D else {
            throw .corrupt(format: .bmp, detail: "the file does not start with the BMP signature 'BM'")
        }
        guard b.count >= 18 else {
            throw .truncated(format: .bmp, detail: "the file is only \(b.count) bytes and ends inside the file header")
        }
        func u16(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        func i32(_ at: Int) -> Int { Int(Int32(bitPattern: u32(at))) }

        let infoSize = Int(u32(14))
        guard infoSize >= 12, infoSize != 13, infoSize != 14, infoSize != 15 else {
            throw .corrupt(format: .bmp, detail: "the info header size \(infoSize) is not a BMP header size")
        }
        guard b.count >= 14 + min(infoSize, 124) else {
            throw .truncated(format: .bmp, detail: "the file ends inside the \(infoSize)-byte info header")
        }
        let isCore = infoSize == 12
        let isOS2v2 = infoSize >= 16 && infoSize < 40 || infoSize == 64
        var rawCompression: UInt32 = 0
        var colorsUsed = 0
        let storedHeight: Int
        if isCore {
            width = u16(18)
            storedHeight = u16(20)
            bitsPerPixel = u16(24)
        } else {
            width = i32(18)
            storedHeight = i32(22)
            bitsPerPixel = u16(28)
            if infoSize >= 20 { rawCompression = u32(30) }
            if infoSize >= 36 { colorsUsed = Int(u32(46)) }
        }
        guard width >= 0, storedHeight != Int(Int32.min) else {
            throw .corrupt(format: .bmp, detail: "the image size \(width)x\(storedHeight) is not valid")
        }
        topDown = storedHeight < 0
        height = abs(storedHeight)
        try InputLimits(maxPixels: maxPixels).checkPixels(width: width, height: height, format: .bmp)

        switch (rawCompression, isOS2v2) {
        case (0, _): compression = .none
        case (1, _): compression = .rle8
        case (2, _): compression = .rle4
        case (3, false), (6, false): compression = .bitfields
        case (3, true), (4, true):
            throw .unsupported(format: .bmp, detail: "OS/2 Huffman and RLE24 compression are not supported")
        case (4, false), (5, false):
            throw .unsupported(format: .bmp, detail: "BMP files that wrap \(rawCompression == 4 ? "JPEG" : "PNG") data are not supported")
        default:
            throw .unsupported(format: .bmp, detail: "compression type \(rawCompression) is not supported")
        }
        switch bitsPerPixel {
        case 1, 2, 4, 8, 16, 24, 32: break
        case 0, 64: throw .unsupported(format: .bmp, detail: "\(bitsPerPixel) bits per pixel is not supported")
        default: throw .corrupt(format: .bmp, detail: "\(bitsPerPixel) bits per pixel is not a valid BMP depth")
        }
        let valid: Bool
        switch compression {
        case .none: valid = true
        case .rle8: valid = bitsPerPixel == 8
        case .rle4: valid = bitsPerPixel == 4
        case .bitfields: valid = bitsPerPixel == 16 || bitsPerPixel == 32
        }
        guard valid else {
            throw .corrupt(format: .bmp, detail: "compression type \(rawCompression) cannot be used with \(bitsPerPixel) bits per pixel")
        }

        // Bit masks: inside V2+ headers, or just after a 40-byte header.
        var tableOffset = 14 + infoSize
        if compression == .bitfields {
            let maskCount = rawCompression == 6 ? 4 : 3
            let maskOffset = 54
            if infoSize == 40 { tableOffset += 4 * maskCount }
            guard b.count >= maskOffset + 4 * maskCount else {
                throw .truncated(format: .bmp, detail: "the file ends inside the colour bit masks")
            }
            redMask = u32(maskOffset); greenMask = u32(maskOffset + 4); blueMask = u32(maskOffset + 8)
            if maskCount == 4 || infoSize >= 56 { alphaMask = u32(maskOffset + 12) }
        } else if bitsPerPixel == 16 {
            redMask = 0x7C00; greenMask = 0x03E0; blueMask = 0x001F
        } else if bitsPerPixel == 32 {
            redMask = 0xFF0000; greenMask = 0xFF00; blueMask = 0xFF
            // A V4/V5 header may declare alpha even with BI_RGB.
            if infoSize >= 56 { alphaMask = u32(66) }
        }
        if compression == .bitfields && (redMask | greenMask | blueMask) == 0 {
            throw .corrupt(format: .bmp, detail: "the colour bit masks are all zero")
        }

        let declaredOffset = Int(u32(10))
        if bitsPerPixel <= 8 {
            let entrySize = isCore ? 3 : 4
            var count = colorsUsed == 0 || colorsUsed > 1 << bitsPerPixel ? 1 << bitsPerPixel : colorsUsed
            // Some writers overstate the table; never read it into the pixel data.
            if declaredOffset > tableOffset { count = min(count, (declaredOffset - tableOffset) / entrySize) }
            guard b.count >= tableOffset + count * entrySize else {
                throw .truncated(format: .bmp, detail: "the file ends inside the colour table")
            }
            palette = [UInt8](repeating: 0, count: 256 * 3)
            for i in 0..<count {
                let at = tableOffset + i * entrySize
                palette[3 * i] = b[at + 2]; palette[3 * i + 1] = b[at + 1]; palette[3 * i + 2] = b[at]
            }
            tableOffset += count * entrySize
        }
        // An offset of 0 (or one pointing into the headers) is a writer bug; the data follows the table.
        dataOffset = declaredOffset >= 14 + infoSize ? declaredOffset : tableOffset
        guard dataOffset <= b.count else {
            throw .truncated(format: .bmp, detail: "the pixel data should start at byte \(dataOffset) but the file is only \(b.count) bytes")
        }
    }

    /// Bits in the widest colour mask, the file's bits per sample.
    var sampleBits: Int {
        guard bitsPerPixel >= 16 else { return bitsPerPixel }
        if bitsPerPixel == 24 { return 8 }
        return [redMask, greenMask, blueMask].map(Self.maskBits).max() ?? 8
    }

    /// Width of a mask's run of bits (5 for 0x7C00).
    static func maskBits(_ mask: UInt32) -> Int {
        mask == 0 ? 0 : 32 - (mask >> mask.trailingZeroBitCount).leadingZeroBitCount
    }
}
