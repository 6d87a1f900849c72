import Foundation
import Testing
@testable import NeuralKit

/// `SafeTensorsFile` reads a file tensor by tensor with the checks `SafeTensors.contents`
/// makes on whole files, and its errors name the file and the tensor.
@Suite struct SafeTensorsFileTests {
    static func write(_ bytes: [UInt8], _ folder: TemporaryFolder, _ name: String = "model.safetensors") -> String {
        let path = folder.path + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// The same tensors as the in-memory decoder, dtype by dtype, integers listed but not read.
    @Test func readsWhatContentsReads() throws {
        let bytes = SafeTensorsTests.file([
            ("bn1.weight", "F16", [2, 3], [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x55, 0x35, 0x00, 0xFC]),
            ("bn1.num_batches_tracked", "I64", [], [7, 0, 0, 0, 0, 0, 0, 0]),
            ("conv1.weight", "BF16", [3], [0x80, 0x3F, 0x49, 0xC0, 0x01, 0x00]),
            // Unaligned after 6 bytes of BF16 and 8 of I64, as in real files.
            ("fc.weight", "F32", [2], withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init)
                + withUnsafeBytes(of: Float(-0.25).bitPattern.littleEndian, Array.init)),
        ])
        let folder = TemporaryFolder()
        let file = try SafeTensorsFile(path: Self.write(bytes, folder))
        let contents = try SafeTensors.contents(bytes)
        for tensor in contents.tensors {
            #expect(file.entry(tensor.name)?.shape == tensor.shape)
            let values = try file.values(tensor.name)
            #expect(values.count == tensor.values.count && zip(values, tensor.values).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(tensor.name)")
        }
        #expect(try file.values("fc.weight") == [1.5, -0.25])
        #expect(file.entries.map(\.name) == ["bn1.weight", "bn1.num_batches_tracked", "conv1.weight", "fc.weight"])
        let integer = #expect(throws: WeightFileError.self) { try file.values("bn1.num_batches_tracked") }
        #expect(integer?.kind == .dataType)
        let missing = #expect(throws: WeightFileError.self) { try file.values("fc.bias") }
        #expect(missing?.kind == .missing)
        #expect(missing?.location == "fc.bias")
    }

    /// A damaged header is a format error naming the file; a file cut short after it was opened
    /// is an error when the tensor is read, never a short read.
    @Test func damagedAndTruncatedFiles() throws {
        let folder = TemporaryFolder()
        let bytes = SafeTensors.encode([NamedTensor(name: "a", shape: [4], values: [1, 2, 3, 4]),
                                        NamedTensor(name: "b", shape: [2], values: [5, 6])])
        let cut = #expect(throws: WeightFileError.self) { try SafeTensorsFile(path: Self.write(Array(bytes.dropLast(4)), folder, "cut")) }
        #expect(cut?.kind == .format)
        #expect(cut?.path.hasSuffix("/cut") == true)
        #expect(cut?.description.contains("'b'") == true, "\(cut?.description ?? "")")
        let tiny = #expect(throws: WeightFileError.self) { try SafeTensorsFile(path: Self.write([1, 2, 3], folder, "tiny")) }
        #expect(tiny?.kind == .format)
        let folderError = #expect(throws: WeightFileError.self) { try SafeTensorsFile(path: folder.path) }
        #expect(folderError?.kind == .unreadable)
        let absent = #expect(throws: WeightFileError.self) { try SafeTensorsFile(path: folder.path + "/absent") }
        #expect(absent?.kind == .unreadable)

        let path = Self.write(bytes, folder)
        let file = try SafeTensorsFile(path: path)
        #expect(try file.values("a") == [1, 2, 3, 4])
        #expect(truncate(path, off_t(bytes.count - 4)) == 0)
        let shortened = #expect(throws: WeightFileError.self) { try file.values("b") }
        #expect(shortened?.kind == .unreadable)
        #expect(shortened?.description.contains("ends at byte") == true, "\(shortened?.description ?? "")")
    }

    /// A tensor of more dimensions than any weight has is refused when the file is opened.
    @Test func rankBeyondTheLimitIsRefused() {
        let folder = TemporaryFolder()
        let bytes = SafeTensorsTests.file([("deep", "F32", [Int](repeating: 1, count: 9), [0, 0, 0x80, 0x3F])])
        let error = #expect(throws: WeightFileError.self) { try SafeTensorsFile(path: Self.write(bytes, folder)) }
        #expect(error?.kind == .limit)
        #expect(error?.location == "deep")
    }
}
