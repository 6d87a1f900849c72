import Foundation
import Testing
@testable import NeuralKit

@Suite struct SafeTensorsTests {
    @Test func roundTripsTensorsAndMetadata() throws {
        let tensors = [NamedTensor(name: "conv2d_1.kernel", shape: [3, 3, 3, 2], values: (0..<54).map { Float($0) * 0.5 - 3 }),
                       NamedTensor(name: "conv2d_1.bias", shape: [2], values: [Float.pi, -0]),
                       NamedTensor(name: "scalar", shape: [], values: [42])]
        let bytes = SafeTensors.encode(tensors, metadata: ["format": "x"])
        let (decoded, metadata) = try SafeTensors.decode(bytes)
        #expect(decoded == tensors)
        #expect(metadata == ["format": "x"])
    }

    @Test func layoutIsTheSafetensorsFormat() throws {
        let bytes = SafeTensors.encode([NamedTensor(name: "a", shape: [2], values: [1, -2])])
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 8)
        let header = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any]
        let entry = header?["a"] as? [String: Any]
        #expect(entry?["dtype"] as? String == "F32")
        #expect(entry?["shape"] as? [Int] == [2])
        #expect(entry?["data_offsets"] as? [Int] == [0, 8])
        // 1.0 and -2.0 as little-endian float32.
        #expect(Array(bytes[(8 + length)...]) == [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0])
    }

    @Test func rejectsDamagedFiles() {
        let bytes = SafeTensors.encode([NamedTensor(name: "a", shape: [4], values: [1, 2, 3, 4])])
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(Array(bytes.prefix(bytes.count - 4))) }
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode([1, 2, 3]) }
        var wrongLength = bytes
        wrongLength[0] = 0xFF
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(wrongLength) }
    }

    /// A file with `header` as its JSON text and `data` bytes after it.
    static func file(header: String, data: Int) -> [UInt8] {
        var json = Array(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + [UInt8](repeating: 0, count: data)
    }

    /// Headers a hostile or damaged file may carry: each is refused with a reason naming the
    /// tensor, never read past the buffer.
    @Test(arguments: [
        // [2**62 + 32] float32: the byte size overflows to 128.
        (#"{"a": {"dtype": "F32", "shape": [4611686018427387936], "data_offsets": [0, 128]}}"#, 128, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [3037000500, 3037000500], "data_offsets": [0, 16]}}"#, 16, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [-2, -2], "data_offsets": [0, 16]}}"#, 16, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [16, 0]}}"#, 16, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [-16, 0]}}"#, 16, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}"#, 16, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [9223372036854775800, 9223372036854775807]}}"#, 16, "'a'"),
        (#"{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}"#, 16, "overlaps"),
        (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}"#, 16, "belong to no tensor"),
        (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}"#, 16, "belong to no tensor"),
        (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}"#, 8, "JSON"),
        (#"["a"]"#, 0, "JSON"),
    ])
    func hostileHeadersAreRefused(_ header: String, _ data: Int, _ reason: String) {
        let error = #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(Self.file(header: header, data: data)) }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }

    @Test func headerLengthsBeyondTheFileAreRefused() {
        for length in [UInt64.max, UInt64(Int64.max), 1 << 40, 17] {
            let bytes = withUnsafeBytes(of: length.littleEndian, Array.init) + Array("{}      ".utf8)
            #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(bytes) }
        }
    }

    /// A file whose tensors are given as (name, dtype, shape, little-endian bytes), in order.
    static func file(_ tensors: [(String, String, [Int], [UInt8])]) -> [UInt8] {
        var offset = 0
        var entries: [String] = []
        for (name, dtype, shape, bytes) in tensors {
            entries.append(#""\#(name)": {"dtype": "\#(dtype)", "shape": \#(shape), "data_offsets": [\#(offset), \#(offset + bytes.count)]}"#)
            offset += bytes.count
        }
        var json = Array(("{" + entries.joined(separator: ", ") + "}").utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + tensors.flatMap(\.3)
    }

    /// F16, BF16 and F64 (timm and Hugging Face files) convert exactly where Float can hold the
    /// value; I64 tensors such as batch norm's num_batches_tracked are listed, not read.
    @Test func convertsHalfBFloatAndDoubleAndListsIntegers() throws {
        let bytes = Self.file([
            // 1, -2, 65504, 2^-24 (subnormal), 0.333251953125, -inf, as binary16.
            ("bn1.weight", "F16", [2, 3], [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x55, 0x35, 0x00, 0xFC]),
            ("bn1.num_batches_tracked", "I64", [], [7, 0, 0, 0, 0, 0, 0, 0]),
            // 1, -3.140625 (0xC049), 2^-133 (subnormal 0x0001), as bfloat16.
            ("conv1.weight", "BF16", [3], [0x80, 0x3F, 0x49, 0xC0, 0x01, 0x00]),
            // 0.5 and -1e300 (beyond Float: -inf) as float64.
            ("fc.bias", "F64", [2], [0, 0, 0, 0, 0, 0, 0xE0, 0x3F] + withUnsafeBytes(of: (-1e300).bitPattern.littleEndian, Array.init)),
            ("mask", "U8", [2], [1, 0]),
        ])
        let contents = try SafeTensors.contents(bytes)
        #expect(contents.tensors.map(\.name) == ["bn1.weight", "conv1.weight", "fc.bias"])
        #expect(contents.tensors[0].shape == [2, 3])
        #expect(contents.tensors[0].values == [1, -2, 65504, 0x1p-24, 0.333251953125, -.infinity])
        #expect(contents.tensors[1].values == [1, -3.140625, 0x1p-133])
        #expect(contents.tensors[2].values == [0.5, -.infinity])
        #expect(contents.skipped == [SafeTensors.Entry(name: "bn1.num_batches_tracked", dtype: .I64, shape: []),
                                     SafeTensors.Entry(name: "mask", dtype: .U8, shape: [2])])
        let (tensors, _) = try SafeTensors.decode(bytes)
        #expect(tensors == contents.tensors)
    }

    @Test func halfNaNStaysNaN() {
        #expect(SafeTensors.halfToFloat(0x7E00).isNaN)
        #expect(SafeTensors.halfToFloat(0x7C00) == .infinity)
        #expect(SafeTensors.halfToFloat(0x0400) == 0x1p-14)
    }

    /// Sizes are checked per dtype: 3 F16 values are 6 bytes, not 12.
    @Test(arguments: [
        ("F16", [3], 12, "'a'"), ("BF16", [2], 2, "'a'"), ("F64", [1], 4, "'a'"), ("I64", [1], 4, "'a'"),
        ("F17", [1], 4, "F17"), ("f32", [1], 4, "f32"),
    ])
    func sizesFollowTheDtype(_ dtype: String, _ shape: [Int], _ bytes: Int, _ reason: String) {
        let file = Self.file([("a", dtype, shape, [UInt8](repeating: 0, count: bytes))])
        let error = #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.contents(file) }
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }
}
