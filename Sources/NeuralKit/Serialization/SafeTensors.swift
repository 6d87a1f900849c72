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

    /// The tensors (in file order) and metadata of a safetensors file's bytes. Only float32
    /// tensors are read.
    public static func decode(_ bytes: [UInt8]) throws(FormatError) -> (tensors: [NamedTensor], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw FormatError(description: "too short for a safetensors file (\(bytes.count) bytes)") }
        let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        guard headerLength > 0, headerLength <= bytes.count - 8 else {
            throw FormatError(description: "header length \(headerLength) does not fit a \(bytes.count)-byte file")
        }
        let dataStart = 8 + headerLength
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw FormatError(description: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var tensors: [(offset: Int, tensor: NamedTensor)] = []
        for (name, entry) in header {
            if name == "__metadata__" {
                metadata = entry as? [String: String] ?? [:]
                continue
            }
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw FormatError(description: "tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else { throw FormatError(description: "tensor '\(name)' is \(dtype); only F32 is read") }
            let count = shape.reduce(1, *)
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end - begin == count * 4, dataStart + end <= bytes.count else {
                throw FormatError(description: "tensor '\(name)': offsets \(offsets) do not hold shape \(shape) in the file")
            }
            let values = bytes.withUnsafeBytes { raw in
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: dataStart + begin + $0 * 4, as: UInt32.self))) }
            }
            tensors.append((begin, NamedTensor(name: name, shape: shape, values: values)))
        }
        return (tensors.sorted { $0.offset < $1.offset }.map(\.tensor), metadata)
    }
}
