/// The element types our `.npy` files hold, by numpy's `descr` string.
public enum NPYDType: String, Sendable, Hashable, Codable, CaseIterable {
    case uint8 = "|u1"
    case int64 = "<i8"
    case float32 = "<f4"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .uint8: 1
        case .int64: 8
        case .float32: 4
        }
    }

    /// numpy's name for it (`uint8`), as the manifest records it.
    public var name: String {
        switch self {
        case .uint8: "uint8"
        case .int64: "int64"
        case .float32: "float32"
        }
    }
}

/// The header of a numpy `.npy` file, format version 1.0, C order.
///
/// Encoded exactly as `numpy.save` does: the magic `\x93NUMPY`, version 1.0, a little-endian
/// uint16 header length, then a Python dict literal with sorted keys, padded with spaces and a
/// final newline so the data starts at a multiple of 64 bytes. Like numpy, it reserves room
/// for the first axis to grow to 21 digits, so a writer that learns the row count only at the
/// end can rewrite the header in place without moving the data.
public struct NPYHeader: Sendable, Hashable {
    public var dtype: NPYDType
    /// The array's shape, first axis the rows.
    public var shape: [Int]

    public init(dtype: NPYDType, shape: [Int]) {
        self.dtype = dtype
        self.shape = shape
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// numpy's `GROWTH_AXIS_MAX_DIGITS`: digits reserved for the first axis.
    static let growthDigits = 21
    static let alignment = 64

    /// Bytes of one row (all axes but the first) and of the whole array, or nil when a dimension
    /// is negative or a product does not fit in `Int` (a hostile header: `parse` refuses those).
    public var byteCounts: (row: Int, total: Int)? {
        guard let rowElements = CheckedSize.product(shape.dropFirst()),
              let row = CheckedSize.product(rowElements, dtype.size),
              let total = CheckedSize.product(shape.first ?? 1, row) else { return nil }
        return (row, total)
    }

    /// Bytes of data the shape describes; `Int.max` for a shape whose size overflows, so that it
    /// never fits a file (a parsed header never has one).
    public var dataByteCount: Int { byteCounts?.total ?? Int.max }

    /// The header bytes; their count is a multiple of 64 and does not depend on `shape[0]`.
    public var encoded: [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        if let rows = shape.first { dict += String(repeating: " ", count: max(0, Self.growthDigits - String(rows).count)) }
        let prefix = Self.magic.count + 2 + 2
        let unpadded = prefix + dict.utf8.count + 1
        let padding = (Self.alignment - unpadded % Self.alignment) % Self.alignment
        let headerLength = dict.utf8.count + padding + 1
        return Self.magic + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
            + Array(dict.utf8) + [UInt8](repeating: 0x20, count: padding) + [0x0A]
    }

    /// Parses the header at the start of `bytes`; returns it and the offset where data starts.
    /// Reads versions 1.0, 2.0 and 3.0 and the dtypes above, C order only.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(NPYError) -> (header: NPYHeader, dataOffset: Int) {
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw .notNPY("the file does not start with \\x93NUMPY") }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        guard (1...3).contains(major), bytes.count >= 8 + lengthBytes else { throw .notNPY("unsupported format version \(major).\(bytes[7])") }
        var length = 0
        for i in 0..<lengthBytes { length |= Int(bytes[8 + i]) << (8 * i) }
        let start = 8 + lengthBytes
        guard CheckedSize.range(offset: start, count: length, within: bytes.count) else {
            throw .notNPY("the header is cut short (\(length) bytes announced, \(bytes.count - start) present)")
        }
        let text = String(decoding: bytes[start..<(start + length)], as: UTF8.self)
        guard let descr = value(of: "descr", in: text), let dtype = NPYDType(rawValue: descr.trimmingQuotes) else {
            throw .unsupported("dtype \(value(of: "descr", in: text) ?? "?") (expected |u1, <i8 or <f4)")
        }
        guard value(of: "fortran_order", in: text) == "False" else { throw .unsupported("Fortran-order arrays") }
        guard let shapeText = value(of: "shape", in: text), shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw .notNPY("no shape in the header")
        }
        let parts = shapeText.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
        let shape = parts.compactMap { Int($0) }
        guard shape.count == parts.count, shape.allSatisfy({ $0 >= 0 }) else { throw .notNPY("bad shape \(shapeText)") }
        let header = NPYHeader(dtype: dtype, shape: shape)
        // Every size computed from the shape later (rows, offsets) is below this product.
        guard header.byteCounts != nil else {
            throw .notNPY("shape \(shapeText) of \(dtype.name) describes more bytes than a file can hold")
        }
        return (header, start + length)
    }

    /// The literal after `'key':` in a header dict (a quoted string, a tuple or a word).
    private static func value(of key: String, in text: String) -> String? {
        guard let range = text.range(of: "'\(key)':") else { return nil }
        let rest = text[range.upperBound...].drop { $0 == " " }
        if rest.first == "(" { return rest.firstIndex(of: ")").map { String(rest[...$0]) } }
        if rest.first == "'" { return rest.dropFirst().firstIndex(of: "'").map { String(rest[...$0]) } }
        return String(rest.prefix { $0 != "," && $0 != "}" && $0 != " " })
    }
}

private extension String {
    var trimmingQuotes: String { String(drop { $0 == "'" }.reversed().drop { $0 == "'" }.reversed()) }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> String { String(drop { $0 == set }.reversed().drop { $0 == set }.reversed()) }
}
