/// A test-only BMP writer: file header, any info header size (12 core, 40, 52, 56, 108, 124),
/// bit masks, colour table and 4-byte-padded rows, bottom-up or top-down.
struct RawBMPWriter {
    var width: Int
    var height: Int
    var bitsPerPixel: Int
    /// Unpadded bytes of each row, top row first.
    var rows: [[UInt8]] = []
    var topDown = false
    var infoSize = 40
    var compression: UInt32 = 0
    /// R, G, B (and A) masks: inside V2+ headers, or after a 40-byte header for compression 3/6.
    var masks: [UInt32] = []
    var palette: [(UInt8, UInt8, UInt8)] = []
    /// biClrUsed; defaults to the palette size.
    var colorsUsed: Int? = nil
    /// Replaces the row data entirely (RLE streams).
    var rawData: [UInt8]? = nil
    /// Leaves out the final row's padding, as some writers do.
    var omitLastPadding = false

    func bytes() -> [UInt8] {
        var info: [UInt8] = []
        if infoSize == 12 {
            info = le32(12) + le16(width) + le16(height)
            info += le16(1) + le16(bitsPerPixel)
        } else {
            info = le32(infoSize) + le32(width) + le32(topDown ? -height : height)
            info += le16(1) + le16(bitsPerPixel)
            info += le32(Int(compression)) + le32(0)
            info += le32(2835) + le32(2835)
            info += le32(colorsUsed ?? palette.count) + le32(0)
            if infoSize >= 52 {
                for i in 0..<(infoSize >= 56 ? 4 : 3) { info += le32(Int(i < masks.count ? masks[i] : 0)) }
            }
            info += [UInt8](repeating: 0, count: infoSize - info.count)
            if infoSize == 40 && (compression == 3 || compression == 6) { info += masks.flatMap { le32(Int($0)) } }
        }
        let table: [UInt8] = palette.flatMap { (p: (UInt8, UInt8, UInt8)) -> [UInt8] in
            infoSize == 12 ? [p.2, p.1, p.0] : [p.2, p.1, p.0, 0]
        }
        var data = rawData ?? []
        if rawData == nil {
            let stride = (width * bitsPerPixel + 31) / 32 * 4
            let stored = topDown ? rows : rows.reversed()
            for (i, row) in stored.enumerated() {
                data += row + [UInt8](repeating: 0, count: stride - row.count)
                if omitLastPadding && i == stored.count - 1 { data.removeLast(stride - row.count) }
            }
        }
        let offset = 14 + info.count + table.count
        var file: [UInt8] = Array("BM".utf8)
        file += le32(offset + data.count)
        file += le32(0)
        file += le32(offset)
        return file + info + table + data
    }

    /// Packs palette indices most-significant bits first.
    static func packIndices(_ indices: [Int], bits: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (indices.count * bits + 7) / 8)
        for (i, v) in indices.enumerated() { bytes[i * bits / 8] |= UInt8(v << (8 - bits - i * bits % 8)) }
        return bytes
    }

    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}

extension Array where Element == UInt8 {
    /// Little-endian bytes of 16- or 32-bit pixel values.
    static func le(_ values: [UInt32], bytes: Int) -> [UInt8] {
        values.flatMap { v in (0..<bytes).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    }
}
