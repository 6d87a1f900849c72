import DatasetKit
import Foundation

/// The safetensors format (what Python's `safetensors.numpy.load_file` reads): an 8-byte
/// little-endian header length, a JSON header `{"name": {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}, "__metadata__": {...}}` padded with spaces to 8 bytes, then
/// the tensors' little-endian bytes back to back. `encode` writes F32; the reader also takes the
/// F16, BF16 and F64 of timm and Hugging Face files, and lists integer tensors without reading them.
public enum SafeTensors {
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The file's bytes: tensors in the given order, `metadata` as string pairs.
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String] = [:]) -> [UInt8] {
        var header: [String: Any] = [:]
        var offset = 0
        for tensor in tensors {
            let size = tensor.values.count * 4
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        // Plain dictionaries of strings and numbers always serialise.
        var json = Array(try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes]))
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: json)
        for tensor in tensors {
            tensor.values.withUnsafeBufferPointer { values in
                for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            }
        }
        return bytes
    }

    /// The largest header read (the safetensors library's own limit): a length field read
    /// from a file is not trusted with more.
    static let maxHeaderLength = 100_000_000

    /// The element types of the safetensors format. The float ones are read (converted to
    /// `Float`); the others are listed but not read, like timm's `num_batches_tracked` (I64).
    public enum DType: String, Sendable, Hashable, CaseIterable {
        case F64, F32, F16, BF16
        case I64, I32, I16, I8, U64, U32, U16, U8, BOOL
        case F8_E4M3, F8_E5M2

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .F64, .I64, .U64: 8
            case .F32, .I32, .U32: 4
            case .F16, .BF16, .I16, .U16: 2
            case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: 1
            }
        }

        /// Whether `decode` reads it as `Float` (8-bit floats are listed, not read).
        public var isReadAsFloat: Bool { [.F64, .F32, .F16, .BF16].contains(self) }
    }

    /// A tensor of the file as its header describes it.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
    }

    /// Everything a safetensors file holds: its float tensors as `Float` (in file order), the
    /// tensors of other types by description only, and the metadata.
    public struct Contents: Sendable {
        public var tensors: [NamedTensor]
        /// Tensors that are not read as floats, e.g. batch norm's `num_batches_tracked` (I64).
        public var skipped: [Entry]
        public var metadata: [String: String]
    }

    /// The float tensors (in file order) and metadata of a safetensors file's bytes; tensors of
    /// other types are skipped (`contents(_:)` lists them).
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> (tensors: [NamedTensor], metadata: [String: String]) {
        let contents = try contents(bytes)
        return (contents.tensors, contents.metadata)
    }

    /// The tensors and metadata of a safetensors file's bytes. F32 is read as is; F16, BF16
    /// and F64 are converted to `Float`; the other dtypes are listed in `skipped`. Everything
    /// read from the file is checked, as the safetensors library checks it: the header length
    /// fits the file, the header is a JSON object, every dtype is known, every shape's byte
    /// size is computed without overflow, and the tensors' `data_offsets` are ordered, match
    /// shape x element size, and tile the data after the header exactly (no overlap, no gap).
    public static func contents(_ bytes: [UInt8]) throws(FormatError) -> Contents {
        guard bytes.count >= 8 else { throw FormatError(description: "too short for a safetensors file (\(bytes.count) bytes)") }
        let length = try headerLength(Array(bytes[0..<8]), fileSize: bytes.count)
        let dataStart = 8 + length
        let index = try index(header: Data(bytes[8..<dataStart]), dataLength: bytes.count - dataStart)
        var tensors: [NamedTensor] = []
        var skipped: [Entry] = []
        bytes.withUnsafeBytes { raw in
            for item in index.tensors {
                guard item.entry.dtype.isReadAsFloat else { skipped.append(item.entry); continue }
                let data = UnsafeRawBufferPointer(rebasing: raw[(dataStart + item.data.lowerBound)..<(dataStart + item.data.upperBound)])
                tensors.append(NamedTensor(name: item.entry.name, shape: item.entry.shape, values: floats(data, item.entry.dtype)))
            }
        }
        return Contents(tensors: tensors, skipped: skipped, metadata: index.metadata)
    }

    /// A file's header, checked: its tensors in data order, each with its byte range within
    /// the data after the header, and the metadata.
    struct Index: Sendable {
        var tensors: [(entry: Entry, data: Range<Int>)]
        var metadata: [String: String]
    }

    /// The header length from a file's first 8 bytes, checked to fit a `fileSize`-byte file
    /// and the safetensors library's limit.
    static func headerLength(_ first8: [UInt8], fileSize: Int) throws(FormatError) -> Int {
        let length = first8.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length > 0, length <= UInt64(min(maxHeaderLength, fileSize - 8)) else {
            throw FormatError(description: "header length \(length) does not fit a \(fileSize)-byte file")
        }
        return Int(length)
    }

    /// The JSON `header` checked against `dataLength` bytes of data after it, as the
    /// safetensors library checks it: a JSON object, every dtype known, every shape's byte size
    /// computed without overflow, and the tensors' `data_offsets` ordered, matching shape x
    /// element size, and tiling the data exactly (no overlap, no gap).
    static func index(header json: Data, dataLength: Int) throws(FormatError) -> Index {
        func fail(_ reason: String) -> FormatError { FormatError(description: reason) }
        guard let header = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw fail("the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [(entry: Entry, data: Range<Int>)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let strings = value as? [String: String] else { throw fail("__metadata__ is not a map of strings") }
                metadata = strings
                continue
            }
            guard let value = value as? [String: Any], let dtypeName = value["dtype"] as? String,
                  let shape = value["shape"] as? [Int], let offsets = value["data_offsets"] as? [Int], offsets.count == 2 else {
                throw fail("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw fail("tensor '\(name)' has dtype \(dtypeName), which is not a safetensors dtype")
            }
            guard let count = CheckedSize.product(shape), let size = CheckedSize.product(count, dtype.size) else {
                throw fail("tensor '\(name)': shape \(shape) has a negative dimension or more values than fit in memory")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end - begin == size else {
                throw fail("tensor '\(name)': data_offsets \(offsets) do not hold shape \(shape) of \(dtype) (\(size) bytes)")
            }
            guard end <= dataLength else {
                throw fail("tensor '\(name)': data_offsets \(offsets) reach past the file's \(dataLength) bytes of data")
            }
            entries.append((Entry(name: name, dtype: dtype, shape: shape), begin..<end))
        }
        entries.sort { ($0.data.lowerBound, $0.data.upperBound) < ($1.data.lowerBound, $1.data.upperBound) }
        var covered = 0
        for item in entries {
            guard item.data.lowerBound == covered else {
                throw fail(item.data.lowerBound < covered ? "tensor '\(item.entry.name)' overlaps the tensor before it"
                                                          : "bytes \(covered)..<\(item.data.lowerBound) of the data belong to no tensor")
            }
            covered = item.data.upperBound
        }
        guard covered == dataLength else { throw fail("bytes \(covered)..<\(dataLength) of the data belong to no tensor") }
        return Index(tensors: entries, metadata: metadata)
    }

    /// Little-endian `dtype` elements as `Float` (`dtype` is one of the float types).
    static func floats(_ data: UnsafeRawBufferPointer, _ dtype: DType) -> [Float] {
        let count = data.count / dtype.size
        switch dtype {
        case .F32:
            #if _endian(little)
            // The file's bytes are the values: one copy (the data need not be aligned).
            return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: data[0..<(count * 4)]))
                initialized = count
            }
            #else
            return (0..<count).map { Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            #endif
        case .F64:
            return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)))) }
        case .BF16:
            // bfloat16 is the upper half of a float32.
            return (0..<count).map { Float(bitPattern: UInt32(UInt16(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) << 16) }
        case .F16:
            return (0..<count).map { halfToFloat(UInt16(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        default:
            preconditionFailure("\(dtype) is not read as float")
        }
    }

    /// An IEEE 754 binary16 value (by its bits) as `Float`, exactly: subnormals, infinities and
    /// NaNs included. Written out rather than through `Float16`, which macOS on Intel lacks.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
