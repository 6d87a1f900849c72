/// Turns the raw bytes of an archive entry's name into a file name, keeping distinct names
/// distinct.
///
/// Valid UTF-8 is kept as it is. A name holding bytes that are not UTF-8 (a tar made on a
/// Latin-1 system, a zip in KOI8-R or CP437 without the UTF-8 flag) is escaped reversibly: each
/// invalid byte becomes `%XX`, and a literal `%` followed by two hex digits becomes `%25`, so
/// `caf\xE9` and `caf\xE8` stay two files (`caf%E9`, `caf%E8`) instead of both turning into
/// `caf\u{FFFD}` and the second being lost. Names that are valid UTF-8 are never changed, so a
/// valid name spelled exactly like an escaped one (`caf%E9`) would meet it; the caller reports
/// every escaped name.
public enum EntryName {
    /// The name to use and whether it had to be escaped.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> (name: String, escaped: Bool) {
        let raw = Array(bytes)
        if let valid = validUTF8(raw) { return (valid, false) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count + 16)
        var i = 0
        while i < raw.count {
            let length = sequenceLength(raw, at: i)
            if length == 0 {
                appendEscaped(raw[i], to: &out)
                i += 1
            } else {
                if raw[i] == UInt8(ascii: "%"), i + 2 < raw.count, isHex(raw[i + 1]), isHex(raw[i + 2]) {
                    appendEscaped(raw[i], to: &out)
                } else {
                    out.append(contentsOf: raw[i..<(i + length)])
                }
                i += length
            }
        }
        return (String(decoding: out, as: UTF8.self), true)
    }

    private static func validUTF8(_ raw: [UInt8]) -> String? {
        var i = 0
        while i < raw.count {
            let length = sequenceLength(raw, at: i)
            if length == 0 { return nil }
            i += length
        }
        return String(decoding: raw, as: UTF8.self)
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7), or 0.
    private static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let lead = b[i]
        if lead < 0x80 { return 1 }
        let (length, low, high): (Int, UInt8, UInt8)
        switch lead {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        default: return 0
        }
        guard i + length <= b.count, (low...high).contains(b[i + 1]) else { return 0 }
        for k in 2..<max(2, length) where !(0x80...0xBF).contains(b[i + k]) { return 0 }
        return length
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        out.append(UInt8(ascii: "%"))
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
}
