import DatasetKit
import Foundation

/// The safetensors format (what Python's `safetensors.numpy.load_file` reads): an 8-byte
/// little-endian header length, a JSON header `{"name": {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]}, "__metadata__": {...}}` padded with spaces to 8 bytes, then
/// the tensors' little-endian bytes back to back.
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

    /// The tensors (in file order) and metadata of a safetensors file's bytes. Only float32
    /// tensors are read. Everything read from the file is checked, as the safetensors library
    /// checks it: the header length fits the file, the header is a JSON object, every shape's
    /// size is computed without overflow, and the tensors' `data_offsets` are ordered, match
    /// shape x 4 bytes, and tile the data after the header exactly (no overlap, no gap).
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> (tensors: [NamedTensor], metadata: [String: String]) {
        func fail(_ reason: String) -> FormatError { FormatError(description: reason) }
        guard bytes.count >= 8 else { throw fail("too short for a safetensors file (\(bytes.count) bytes)") }
        let length = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length > 0, length <= UInt64(min(maxHeaderLength, bytes.count - 8)) else {
            throw fail("header length \(length) does not fit a \(bytes.count)-byte file")
        }
        let dataStart = 8 + Int(length)
        let dataLength = bytes.count - dataStart
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw fail("the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                guard let strings = entry as? [String: String] else { throw fail("__metadata__ is not a map of strings") }
                metadata = strings
                continue
            }
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw fail("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else { throw fail("tensor '\(name)' is \(dtype); only F32 is read") }
            guard let count = CheckedSize.product(shape), let size = CheckedSize.product(count, 4) else {
                throw fail("tensor '\(name)': shape \(shape) has a negative dimension or more values than fit in memory")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end - begin == size else {
                throw fail("tensor '\(name)': data_offsets \(offsets) do not hold shape \(shape) of F32 (\(size) bytes)")
            }
            guard end <= dataLength else {
                throw fail("tensor '\(name)': data_offsets \(offsets) reach past the file's \(dataLength) bytes of data")
            }
            entries.append((name, shape, begin, end))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var covered = 0
        for entry in entries {
            guard entry.begin == covered else {
                throw fail(entry.begin < covered ? "tensor '\(entry.name)' overlaps the tensor before it"
                                                 : "bytes \(covered)..<\(entry.begin) of the data belong to no tensor")
            }
            covered = entry.end
        }
        guard covered == dataLength else { throw fail("bytes \(covered)..<\(dataLength) of the data belong to no tensor") }
        let tensors = bytes.withUnsafeBytes { raw in
            entries.map { entry in
                let values = (0..<((entry.end - entry.begin) / 4)).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + entry.begin + $0 * 4, as: UInt32.self)))
                }
                return NamedTensor(name: entry.name, shape: entry.shape, values: values)
            }
        }
        return (tensors, metadata)
    }
}
