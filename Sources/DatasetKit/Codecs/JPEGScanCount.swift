/// Counts the scans (SOS markers) of a JPEG without decoding it, so a progressive file built
/// to stall decoders (thousands of tiny scans, each a pass over every coefficient) is refused
/// up front, at whatever limit the user set. A walk over the bytes: marker segments are
/// skipped by their lengths, entropy-coded data is searched for the next marker (inside it a
/// 0xFF byte is always followed by 0x00, a restart marker or fill).
enum JPEGScanCount {
    /// The number of scans in `jpeg`, counting no further than `limit + 1` (enough to tell
    /// that a file is over the limit, without walking all of a hostile one). A damaged file
    /// is counted as far as it can be walked: the decoder reports the damage.
    static func count(_ jpeg: UnsafeRawBufferPointer, upTo limit: Int) -> Int {
        guard jpeg.count >= 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { return 0 }
        var offset = 2, scans = 0
        while offset + 1 < jpeg.count, scans <= limit {
            guard jpeg[offset] == 0xFF else { return scans }
            let marker = jpeg[offset + 1]
            switch marker {
            case 0xFF: offset += 1; continue
            case 0x01, 0xD0...0xD7: offset += 2; continue
            case 0xD9: return scans
            default: break
            }
            guard offset + 4 <= jpeg.count else { return scans }
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            guard length >= 2 else { return scans }
            offset += 2 + length
            guard marker == 0xDA else { continue }
            scans += 1
            offset = nextMarker(jpeg, after: offset)
        }
        return scans
    }

    /// The offset of the first marker at or after `start` in entropy-coded data (or the end).
    private static func nextMarker(_ jpeg: UnsafeRawBufferPointer, after start: Int) -> Int {
        var i = start
        while i + 1 < jpeg.count {
            if jpeg[i] == 0xFF {
                let next = jpeg[i + 1]
                if next != 0x00 && next != 0xFF && !(0xD0...0xD7).contains(next) { return i }
                i += next == 0xFF ? 1 : 2
            } else {
                i += 1
            }
        }
        return jpeg.count
    }
}
