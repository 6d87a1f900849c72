import Crypto
import Foundation
import Testing
@testable import DatasetKit

@Suite struct NPYTests {
    /// What `numpy.save` writes for `np.zeros((2, 4, 4, 3), np.uint8)`, spelled out: magic,
    /// version 1.0, header length 118 (0x76) little-endian, the dict, spaces, newline; 128 bytes.
    @Test func headerBytesAreNumpysForAKnownCase() {
        let dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 4, 3), }"
        let expected: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0] + Array(dict.utf8)
            + [UInt8](repeating: 0x20, count: 128 - 10 - dict.utf8.count - 1) + [0x0A]
        #expect(NPYHeader(dtype: .uint8, shape: [2, 4, 4, 3]).encoded == expected)
        #expect(expected.count == 128)
    }

    @Test func headerLengthIsAlignedAndIndependentOfTheRowCount() {
        for dtype in NPYDType.allCases {
            for shape in [[0], [5], [7, 3], [123_456_789, 224, 224, 3]] {
                let bytes = NPYHeader(dtype: dtype, shape: shape).encoded
                #expect(bytes.count % 64 == 0)
                #expect(bytes.count == NPYHeader(dtype: dtype, shape: [1] + shape.dropFirst()).encoded.count)
                #expect(bytes.last == 0x0A)
                #expect(Int(bytes[8]) | Int(bytes[9]) << 8 == bytes.count - 10)
            }
        }
        let scalar = String(decoding: NPYHeader(dtype: .int64, shape: [5]).encoded, as: UTF8.self)
        #expect(scalar.contains("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }"))
    }

    @Test func headerParsesBack() throws {
        for header in [NPYHeader(dtype: .float32, shape: [3, 2, 2, 3]), NPYHeader(dtype: .int64, shape: [9]),
                       NPYHeader(dtype: .uint8, shape: [4, 10])] {
            let bytes = header.encoded
            let parsed = try bytes.withUnsafeBytes { try NPYHeader.parse($0) }
            #expect(parsed.header == header && parsed.dataOffset == bytes.count)
        }
        #expect(throws: NPYError.self) { try Array("not numpy".utf8).withUnsafeBytes { _ = try NPYHeader.parse($0) } }
    }

    @Test func writerStreamsRowsAndHashesWhatItWrote() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/a.npy"
        let writer = try NPYWriter(path: path, dtype: .uint8, rowShape: [2, 3], expectedRows: 3)
        for r in 0..<3 { try writer.append((0..<6).map { UInt8(r * 10 + $0) }) }
        #expect(!FileIO.exists(path))
        let (digest, size) = try writer.finish()
        let bytes = try FileIO.read(path)
        #expect(size == bytes.count && bytes.count == 128 + 18)
        #expect(digest == SHA256.hash(data: bytes).hexString)
        let array = try NPYReader(path: path)
        #expect(array.shape == [3, 2, 3] && array.dtype == .uint8)
        #expect(Array(array.row(2)) == [20, 21, 22, 23, 24, 25])
    }

    @Test func fewerRowsThanExpectedRewriteTheHeaderAndTheDigestFollows() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/labels.npy"
        let writer = try NPYWriter(path: path, dtype: .int64, rowShape: [], expectedRows: 1000)
        try writer.append(rows: [3, 7, -1].flatMap { v in withUnsafeBytes(of: Int64(v).littleEndian, Array.init) })
        let (digest, _) = try writer.finish()
        let bytes = try FileIO.read(path)
        #expect(digest == SHA256.hash(data: bytes).hexString)
        #expect(Array(bytes.prefix(128)) == NPYHeader(dtype: .int64, shape: [3]).encoded)
        #expect(try NPYReader(path: path).int64Values() == [3, 7, -1])
    }

    @Test func wrongRowSizesAreRefusedAndCancelLeavesNothing() throws {
        let folder = TemporaryFolder()
        let writer = try NPYWriter(path: folder.path + "/x.npy", dtype: .float32, rowShape: [2], expectedRows: 1)
        #expect(throws: NPYError.self) { try writer.append([1, 2, 3]) }
        writer.cancel()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func float32ValuesReadBack() throws {
        let folder = TemporaryFolder()
        let writer = try NPYWriter(path: folder.path + "/f.npy", dtype: .float32, rowShape: [2], expectedRows: 2)
        let values: [Float] = [0.5, -2.25, 1e-3, 3]
        try writer.append(rows: values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        _ = try writer.finish()
        #expect(try NPYReader(path: folder.path + "/f.npy").float32Values() == values)
    }

    /// A header written by hand: `shape` as text, `data` bytes after it.
    static func hostileFile(_ folder: TemporaryFolder, shape: String, descr: String = "<f4", data: Int = 64) throws -> String {
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        let bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8((dict.utf8.count + 1) & 0xFF), UInt8((dict.utf8.count + 1) >> 8)]
            + Array(dict.utf8) + [0x0A] + [UInt8](repeating: 0, count: data)
        let path = folder.path + "/hostile.npy"
        try FileIO.writeAtomically(bytes, to: path)
        return path
    }

    /// Shapes whose byte size overflows (a product, or a row of a zero-row array), or that
    /// promise more data than the file holds, are refused with a reason, never read past.
    @Test(arguments: ["(4611686018427387904, 4)", "(0, 4611686018427387904, 4)", "(3, 3037000500, 3037000500)",
                      "(9223372036854775807,)", "(17,)", "(-1, 4)"])
    func hostileShapesAreRefused(_ shape: String) throws {
        let folder = TemporaryFolder()
        let path = try Self.hostileFile(folder, shape: shape)
        let error = #expect(throws: NPYError.self) { _ = try NPYReader(path: path) }
        #expect(error?.description.contains(path) == true, "\(error?.description ?? "")")
    }

    @Test func headerLengthPastTheFileIsRefused() throws {
        let folder = TemporaryFolder()
        var bytes = try FileIO.read(try Self.hostileFile(folder, shape: "(2, 2)", data: 16))
        bytes[8] = 0xFF
        bytes[9] = 0xFF
        #expect(throws: NPYError.self) { _ = try bytes.withUnsafeBytes { try NPYHeader.parse($0) } }
    }

    @Test func firstNonFiniteRowIsFound() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/f.npy"
        let writer = try NPYWriter(path: path, dtype: .float32, rowShape: [3], expectedRows: 4)
        let values: [Float] = [0, 1, 2, 3, 4, 5, 6, 7, -.infinity, .nan, 0, 0]
        try writer.append(rows: values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        _ = try writer.finish()
        #expect(try NPYReader(path: path).firstNonFiniteRow() == 2)
        #expect(try NPYReader(path: try Self.hostileFile(folder, shape: "(4, 4)")).firstNonFiniteRow() == nil)
    }
}
