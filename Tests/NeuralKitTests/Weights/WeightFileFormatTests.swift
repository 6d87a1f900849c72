import Foundation
import Testing
import TestSupport
@testable import NeuralKit

@Suite struct WeightFileFormatTests {
    @Test func tellsHDF5FromSafetensorsByTheirBytes() throws {
        let folder = TemporaryFolder()
        let h5 = folder.path + "/named.safetensors"
        KerasH5Writer.writeLegacy(h5, KerasLegacyWeightFileTests.layers, generation: .keras3)
        #expect(try WeightFileFormat.detect(path: h5) == .hdf5)
        let safetensors = folder.path + "/named.h5"
        try Data(SafeTensors.encode([NamedTensor(name: "a", shape: [2], values: [1, 2])])).write(to: URL(fileURLWithPath: safetensors))
        #expect(try WeightFileFormat.detect(path: safetensors) == .safetensors)
    }

    @Test(arguments: [
        ([UInt8](), "empty"),
        (Array("PK\u{3}\u{4}rest of a zip".utf8), "zip"),
        (Array("<html>not found</html>".utf8), "3c 68 74 6d 6c 3e 6e 6f"),
        // A safetensors-like length past the end of the file.
        ([0xFF, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8), "neither"),
        // The HDF5 signature cut short.
        ([0x89, 0x48, 0x44, 0x46], "89 48 44 46"),
    ])
    func otherFilesAreRefusedWithTheirStart(_ bytes: [UInt8], _ reason: String) throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/weights"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: WeightFileError.self) { try WeightFileFormat.detect(path: path) }
        #expect(error?.kind == .format)
        #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
    }

    @Test func aMissingFileIsUnreadable() {
        let error = #expect(throws: WeightFileError.self) { try WeightFileFormat.detect(path: "/nonexistent/weights.h5") }
        #expect(error?.kind == .unreadable)
    }
}
