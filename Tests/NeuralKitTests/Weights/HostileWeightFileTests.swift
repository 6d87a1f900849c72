import Foundation
import Testing
import TestSupport
@testable import NeuralKit

/// Damaged and hostile weight files: each gets a `WeightFileError` that names the file, the
/// place in it and the reason; none crashes or allocates what the file merely declares.
@Suite struct HostileWeightFileTests {
    /// A legacy file with one layer `odd` whose `weight_names` is `names`, after `build` added
    /// its datasets.
    static func file(_ folder: TemporaryFolder, weightNames names: [String],
                     _ build: (HDF5Writer) -> Void) -> String {
        let path = folder.path + "/odd.h5"
        let writer = HDF5Writer(path: path)
        writer.strings(["odd"], attribute: "layer_names", on: "/", encoding: .variable)
        writer.group("/odd/odd")
        writer.strings(names, attribute: "weight_names", on: "/odd", encoding: .variable)
        build(writer)
        writer.close()
        return path
    }

    static func openError(_ path: String) -> WeightFileError? {
        #expect(throws: WeightFileError.self) { try KerasWeightFile(path: path) }
    }

    @Test func aTruncatedFileIsUnreadable() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/weights.h5"
        KerasH5Writer.writeLegacy(path, KerasLegacyWeightFileTests.layers, generation: .keras2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for length in [bytes.count / 2, bytes.count - 1, 100, 8, 0] {
            try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
            let error = Self.openError(path)
            #expect(error?.path == path)
            #expect(error?.kind == .unreadable, "\(length) bytes: \(error?.description ?? "")")
        }
    }

    @Test func notAFileIsUnreadable() {
        let folder = TemporaryFolder()
        #expect(Self.openError(folder.path)?.reason == "not a regular file")
        #expect(Self.openError(folder.path + "/missing.h5")?.kind == .unreadable)
    }

    @Test func anHDF5FileThatIsNotKerasIsRefused() {
        let folder = TemporaryFolder()
        let path = folder.path + "/other.h5"
        let writer = HDF5Writer(path: path)
        writer.group("/data")
        writer.dataset("/data/x", shape: [2], values: [1, 2])
        writer.close()
        let error = Self.openError(path)
        #expect(error?.kind == .format)
        #expect(error?.description.contains("not a Keras weight file") == true)
    }

    @Test func aWeightNameWithoutItsDatasetIsNamed() {
        let folder = TemporaryFolder()
        let path = Self.file(folder, weightNames: ["odd/kernel:0", "odd/bias:0"]) { writer in
            writer.dataset("/odd/odd/kernel:0", shape: [1], values: [1])
        }
        let error = Self.openError(path)
        #expect(error?.kind == .missing)
        #expect(error?.location == "/odd/odd/bias:0")
        #expect(error?.description.contains("'odd'") == true)
        #expect(error?.description.contains("weight_names") == true)
    }

    @Test func aListedLayerWithoutItsGroupIsNamed() {
        let folder = TemporaryFolder()
        let path = folder.path + "/layers.h5"
        let writer = HDF5Writer(path: path)
        writer.strings(["conv", "gone"], attribute: "layer_names", on: "/", encoding: .fixedNullPadded)
        writer.group("/conv")
        writer.emptyFloat64Array(attribute: "weight_names", on: "/conv")
        writer.close()
        let error = Self.openError(path)
        #expect(error?.kind == .missing)
        #expect(error?.location == "/gone")
    }

    /// An integer dataset is listed (Keras' Normalization layer stores an int64 `count`) but
    /// its values are refused, naming the dataset and its type.
    @Test func anIntegerDatasetIsNotReadAsWeights() throws {
        let folder = TemporaryFolder()
        let path = Self.file(folder, weightNames: ["odd/mean", "odd/count"]) { writer in
            writer.dataset("/odd/odd/mean", shape: [3], values: [1, 2, 3])
            writer.dataset("/odd/odd/count", shape: [], values: [7], as: .int64)
        }
        let file = try KerasWeightFile(path: path)
        let weights = file.layers[0].weights
        #expect(weights[1].storedType == .integer(bits: 64, signed: true))
        #expect(try file.values(weights[0]) == [1, 2, 3])
        let error = #expect(throws: WeightFileError.self) { try file.values(weights[1]) }
        #expect(error?.kind == .dataType)
        #expect(error?.location == "/odd/odd/count")
        #expect(error?.description.contains("int64") == true)
    }

    @Test func aRankNineDatasetIsRefused() {
        let folder = TemporaryFolder()
        let path = Self.file(folder, weightNames: ["odd/deep"]) { writer in
            writer.dataset("/odd/odd/deep", shape: Array(repeating: 1, count: 9), values: [1])
        }
        let error = Self.openError(path)
        #expect(error?.kind == .limit)
        #expect(error?.location == "/odd/odd/deep")
        #expect(error?.description.contains("rank 9") == true)
    }

    /// Shapes past the per-tensor limit, or whose product overflows, are refused from the
    /// index: nothing is allocated for them. (Chunked, so libhdf5 accepts declaring them.)
    @Test(arguments: [[UInt64(1) << 31], [1 << 20, 1 << 20], [1 << 21, 1 << 21, 1 << 21]])
    func aHugeDeclaredShapeIsRefused(_ shape: [UInt64]) {
        let folder = TemporaryFolder()
        let path = Self.file(folder, weightNames: ["odd/huge"]) { writer in
            writer.declaredDataset("/odd/odd/huge", shape: shape, chunks: shape.map { _ in 1 })
        }
        let error = Self.openError(path)
        #expect(error?.kind == .limit)
        #expect(error?.location == "/odd/odd/huge")
    }

    @Test func manyLargeTensorsPastTheFileLimitAreRefused() {
        let folder = TemporaryFolder()
        // Three tensors of 2^30 values each: each within the tensor limit, together past the file's.
        let names = ["odd/a", "odd/b", "odd/c"]
        let path = Self.file(folder, weightNames: names) { writer in
            for name in names { writer.declaredDataset("/odd/" + name, shape: [1 << 15, 1 << 15], chunks: [1024, 1024]) }
        }
        let error = Self.openError(path)
        #expect(error?.kind == .limit)
        #expect(error?.location == "/odd/odd/c")
    }

    @Test func nonStringWeightNamesAreRefused() {
        let folder = TemporaryFolder()
        let path = folder.path + "/ints.h5"
        let writer = HDF5Writer(path: path)
        writer.strings(["odd"], attribute: "layer_names", on: "/", encoding: .variable)
        writer.group("/odd")
        writer.int64Array([1, 2], attribute: "weight_names", on: "/odd")
        writer.close()
        let error = Self.openError(path)
        #expect(error?.kind == .dataType)
        #expect(error?.location == "/odd attribute 'weight_names'")
    }

    @Test func anOverlongNameIsRefused() {
        let folder = TemporaryFolder()
        let long = String(repeating: "n", count: WeightFileLimits.nameBytes + 1)
        for encoding in [HDF5Writer.StringEncoding.fixedNullPadded, .variable] {
            let path = folder.path + "/long.h5"
            // Only the newer format stores an attribute larger than an object header (64 KiB).
            let writer = HDF5Writer(path: path, latestFormat: true)
            writer.strings([long], attribute: "layer_names", on: "/", encoding: encoding)
            writer.close()
            let error = Self.openError(path)
            #expect(error?.kind == .limit, "\(encoding): \(error?.description ?? "")")
        }
    }

    @Test func aWeightsH5VariableNotNamedByIndexIsRefused() {
        let folder = TemporaryFolder()
        let path = folder.path + "/odd.weights.h5"
        let writer = HDF5Writer(path: path)
        writer.group("/layers/dense/vars")
        writer.dataset("/layers/dense/vars/0", shape: [1], values: [1])
        writer.dataset("/layers/dense/vars/kernel", shape: [1], values: [1])
        writer.close()
        let error = Self.openError(path)
        #expect(error?.kind == .format)
        #expect(error?.location == "/layers/dense/vars/kernel")
    }

    @Test func aWeightsH5WithAGapInItsVariablesIsRefused() {
        let folder = TemporaryFolder()
        let path = folder.path + "/gap.weights.h5"
        let writer = HDF5Writer(path: path)
        writer.group("/layers/dense/vars")
        writer.dataset("/layers/dense/vars/0", shape: [1], values: [1])
        writer.dataset("/layers/dense/vars/2", shape: [1], values: [1])
        writer.close()
        let error = Self.openError(path)
        #expect(error?.kind == .format)
        #expect(error?.location == "/layers/dense/vars")
    }
}
