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
}
