/// A test-only PNG writer that shares no code with libpng: it packs samples itself, wraps them
/// in stored (uncompressed) deflate blocks with a zlib header and Adler-32, and computes chunk
/// CRC-32s in Swift. Decoder tests use it as an independent oracle.
struct RawPNGWriter {
    enum ColorType: UInt8, CaseIterable { case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6 }

    var width: Int
    var height: Int
    var colorType: ColorType
    var bitDepth: Int
    /// Row-major samples, `channels` per pixel (a palette image has one index per pixel).
    var samples: [Int]
    /// PLTE entries (palette images only).
    var palette: [(UInt8, UInt8, UInt8)] = []
    /// Raw tRNS payload, written when set (see the `trns...` helpers).
    var trns: [UInt8]? = nil
    var interlaced = false
    /// Extra chunks written between IHDR and PLTE/IDAT, e.g. gAMA or sRGB.
    var ancillary: [(type: String, data: [UInt8])] = []
    /// Largest IDAT payload; the zlib stream is split over several IDATs when smaller.
    var idatSize = 1 << 20

    var channels: Int {
        switch colorType {
        case .gray, .palette: 1
        case .grayAlpha: 2
        case .rgb: 3
        case .rgba: 4
        }
    }

    /// The legal bit depths for each colour type.
    static func depths(_ type: ColorType) -> [Int] {
        switch type {
        case .gray: [1, 2, 4, 8, 16]
        case .palette: [1, 2, 4, 8]
        default: [8, 16]
        }
    }

    static func trnsGray(_ value: Int) -> [UInt8] { be16(value) }
    static func trnsRGB(_ r: Int, _ g: Int, _ b: Int) -> [UInt8] { be16(r) + be16(g) + be16(b) }

    /// The complete file.
    func bytes() -> [UInt8] {
        precondition(samples.count == width * height * channels, "sample count does not match the size")
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr = Self.be32(width) + Self.be32(height)
        ihdr += [UInt8(bitDepth), colorType.rawValue, 0, 0, interlaced ? 1 : 0]
        Self.chunk("IHDR", ihdr, into: &out)
        for (type, data) in ancillary { Self.chunk(type, data, into: &out) }
        if !palette.isEmpty { Self.chunk("PLTE", palette.flatMap { [$0.0, $0.1, $0.2] }, into: &out) }
        if let trns { Self.chunk("tRNS", trns, into: &out) }
        let stream = Self.zlibStored(scanlines())
        var start = 0
        repeat {
            let end = min(start + idatSize, stream.count)
            Self.chunk("IDAT", Array(stream[start..<end]), into: &out)
            start = end
        } while start < stream.count
        Self.chunk("IEND", [], into: &out)
        return out
    }

    /// Filter-type-0 scanlines, one reduced image per Adam7 pass when interlaced.
    func scanlines() -> [UInt8] {
        let passes: [(x0: Int, y0: Int, dx: Int, dy: Int)] = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var data: [UInt8] = []
        for pass in passes {
            let xs = Array(stride(from: pass.x0, to: width, by: pass.dx))
            let ys = Array(stride(from: pass.y0, to: height, by: pass.dy))
            guard !xs.isEmpty, !ys.isEmpty else { continue }  // empty passes have no scanlines
            for y in ys {
                data.append(0)
                var rowSamples: [Int] = []
                for x in xs { for c in 0..<channels { rowSamples.append(samples[(y * width + x) * channels + c]) } }
                data += pack(rowSamples)
            }
        }
        return data
    }

    /// Packs samples most-significant bits first (sub-byte depths) or big-endian (16-bit).
    func pack(_ values: [Int]) -> [UInt8] {
        switch bitDepth {
        case 16: return values.flatMap { Self.be16($0) }
        case 8: return values.map { UInt8($0) }
        default:
            var bytes = [UInt8](repeating: 0, count: (values.count * bitDepth + 7) / 8)
            for (i, v) in values.enumerated() {
                let bit = i * bitDepth
                bytes[bit / 8] |= UInt8(v << (8 - bitDepth - bit % 8))
            }
            return bytes
        }
    }

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        out += be32(data.count) + typeBytes + data
        out += be32(Int(crc32(typeBytes + data)))
    }

    /// A zlib stream of stored deflate blocks (at most 65535 bytes each).
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(start + 65535, data.count)
            let length = end - start
            out.append(end == data.count ? 1 : 0)  // BFINAL, BTYPE = 00
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8 & 0xFF)]
            out += data[start..<end]
            start = end
        } while start < data.count
        return out + be32(Int(adler32(data)))
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
