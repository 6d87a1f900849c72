import Foundation
import Testing
import TestSupport
@testable import NeuralKit

/// The legacy Keras `.h5` layout in its three naming generations and its variants, written by
/// KerasH5Writer and read back.
@Suite struct KerasLegacyWeightFileTests {
    /// A small network in Keras' layer order: names of varied lengths (the longest,
    /// `block1_conv1_bn`, fills a fixed-length field with no terminator), a weightless layer,
    /// weights in Keras' storage order.
    static let layers: [KerasH5Writer.Layer] = [
        KerasH5Writer.Layer("input_1"),
        KerasH5Writer.Layer("block1_conv1", [("kernel", [3, 3, 3, 2], KerasH5Writer.values(54, seed: 1)),
                                             ("bias", [2], KerasH5Writer.values(2, seed: 2))]),
        KerasH5Writer.Layer("block1_conv1_bn", [("gamma", [2], [1, 2]), ("beta", [2], [3, 4]),
                                                ("moving_mean", [2], [5, 6]), ("moving_variance", [2], [7, 8])]),
        KerasH5Writer.Layer("pool"),
        KerasH5Writer.Layer("fc", [("kernel", [2, 3], KerasH5Writer.values(6, seed: 3)), ("bias", [3], [0, -1, 1])]),
    ]

    @Test(arguments: KerasH5Writer.Generation.allCases)
    func readsEachNamingGeneration(_ generation: KerasH5Writer.Generation) throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/weights.h5"
        KerasH5Writer.writeLegacy(path, Self.layers, generation: generation)
        let file = try KerasWeightFile(path: path)
        #expect(file.layout == [.keras1: .legacyFlat, .keras2: .legacyNested, .keras3: .legacyNestedWithoutIndex][generation])
        #expect(file.root == "/")
        try Self.expectLayers(file, generation: generation, root: "/")
        if generation == .keras1 {
            #expect(file.kerasVersion == nil)
            #expect(file.backend == nil)
        } else {
            #expect(file.kerasVersion == "2.2.4-tf")
            #expect(file.backend == "tensorflow")
        }
    }

    /// Checks `file` holds `layers` as `generation` names them: order, names, weight names,
    /// dataset paths, shapes and values.
    static func expectLayers(_ file: KerasWeightFile, generation: KerasH5Writer.Generation, root: String) throws {
        #expect(file.layers.map(\.name) == layers.map(\.name))
        #expect(file.weightedLayers.map(\.name) == ["block1_conv1", "block1_conv1_bn", "fc"])
        for (read, written) in zip(file.layers, layers) {
            #expect(read.path == KerasH5Writer.join(root, written.name))
            #expect(read.weights.map(\.name) == written.weights.map { generation.weightName(layer: written.name, weight: $0.name) })
            #expect(read.weights.map(\.shape) == written.weights.map(\.shape))
            for (tensor, weight) in zip(read.weights, written.weights) {
                #expect(tensor.path == KerasH5Writer.join(read.path, generation.weightName(layer: written.name, weight: weight.name)))
                #expect(tensor.storedType == .float(bits: 32))
                #expect(try file.values(tensor) == weight.values, "\(tensor.path)")
            }
        }
    }

    /// Files in HDF5's newer format (h5py `libver="latest"`: groups of link messages, dense
    /// attributes) read the same.
    @Test func theNewerHDF5FormatReadsTheSame() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/latest.h5"
        let writer = HDF5Writer(path: path, latestFormat: true)
        writer.strings(["fc"], attribute: "layer_names", on: "/", encoding: .variable)
        writer.group("/fc/fc")
        writer.strings(["fc/kernel", "fc/bias"], attribute: "weight_names", on: "/fc", encoding: .variable)
        writer.dataset("/fc/fc/kernel", shape: [2, 2], values: [1, 2, 3, 4])
        writer.dataset("/fc/fc/bias", shape: [2], values: [5, 6])
        writer.close()
        let file = try KerasWeightFile(path: path)
        #expect(file.layers.map { $0.weights.map(\.name) } == [["fc/kernel", "fc/bias"]])
        #expect(try file.values(file.layers[0].weights[1]) == [5, 6])
    }

    @Test func splitLayerNamesAreJoinedInOrder() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/split.h5"
        KerasH5Writer.writeLegacy(path, Self.layers, generation: .keras2, layerNameChunks: 3)
        let file = try KerasWeightFile(path: path)
        try Self.expectLayers(file, generation: .keras2, root: "/")
    }

    @Test(arguments: [KerasH5Writer.Generation.keras2, .keras3])
    func aWholeModelFileIsReadFromModelWeights(_ generation: KerasH5Writer.Generation) throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/model.h5"
        KerasH5Writer.writeLegacy(path, Self.layers, generation: generation, modelWeights: true)
        let file = try KerasWeightFile(path: path)
        #expect(file.root == "/model_weights")
        #expect(file.kerasVersion == "2.2.4-tf")
        try Self.expectLayers(file, generation: generation, root: "/model_weights")
    }

    @Test func aFileWithoutWeightsSaysSo() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/empty.h5"
        KerasH5Writer.writeLegacy(path, [KerasH5Writer.Layer("input_1"), KerasH5Writer.Layer("flatten")], generation: .keras2)
        let file = try KerasWeightFile(path: path)
        #expect(file.layout == .legacyWithoutWeights)
        #expect(file.layers.map(\.name) == ["input_1", "flatten"])
        #expect(file.weightedLayers.isEmpty)
    }

    /// float16 and float64 datasets convert to Float, chunked and compressed ones read like
    /// contiguous ones, scalars have shape [].
    @Test func storedTypesAndLayoutsConvert() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/types.h5"
        let writer = HDF5Writer(path: path)
        writer.strings(["mixed"], attribute: "layer_names", on: "/", encoding: .variable)
        writer.group("/mixed/mixed")
        writer.strings(["mixed/half", "mixed/double", "mixed/packed", "mixed/scalar"], attribute: "weight_names",
                       on: "/mixed", encoding: .variable)
        // 1, -2, 65504 (largest half), 2^-24 (smallest subnormal), 0.333251953125, -0.
        writer.dataset("/mixed/mixed/half", shape: [2, 3], float16Bits: [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x3555, 0x8000])
        writer.dataset("/mixed/mixed/double", shape: [3], values: [0.1, -1e-3, 1e30], as: .float64)
        let packed = KerasH5Writer.values(4 * 5 * 6, seed: 4)
        writer.dataset("/mixed/mixed/packed", shape: [4, 5, 6], values: packed, chunks: [2, 5, 3], deflate: true)
        writer.dataset("/mixed/mixed/scalar", shape: [], values: [42])
        writer.close()

        let file = try KerasWeightFile(path: path)
        let weights = try #require(file.layer(named: "mixed")?.weights)
        #expect(weights.map(\.storedType) == [.float(bits: 16), .float(bits: 64), .float(bits: 32), .float(bits: 32)])
        #expect(weights.map(\.shape) == [[2, 3], [3], [4, 5, 6], []])
        #expect(try file.values(weights[0]) == [1, -2, 65504, 0x1p-24, 0.333251953125, -0])
        #expect(try file.values(weights[1]) == [Float(0.1), Float(-1e-3), Float(1e30)])
        #expect(try file.values(weights[2]) == packed)
        #expect(try file.values(weights[3]) == [42])
    }

    /// Opening reads the index only: a tensor whose data was never written does not stop the
    /// others from being read, and fails only when its own values are asked for.
    @Test func valuesAreReadOnDemand() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/lazy.h5"
        let writer = HDF5Writer(path: path)
        writer.strings(["conv", "fc1"], attribute: "layer_names", on: "/", encoding: .variable)
        writer.group("/conv/conv")
        writer.strings(["conv/kernel"], attribute: "weight_names", on: "/conv", encoding: .variable)
        writer.dataset("/conv/conv/kernel", shape: [2], values: [1, 2])
        writer.group("/fc1/fc1")
        writer.strings(["fc1/kernel"], attribute: "weight_names", on: "/fc1", encoding: .variable)
        // 64 Mi values declared, none stored (the file stays a few KB).
        writer.declaredDataset("/fc1/fc1/kernel", shape: [8192, 8192])
        writer.close()

        let file = try KerasWeightFile(path: path)
        #expect(file.layers.map { $0.weights.map(\.shape) } == [[[2]], [[8192, 8192]]])
        #expect(try file.values(file.layers[0].weights[0]) == [1, 2])
        let error = #expect(throws: WeightFileError.self) { try file.values(file.layers[1].weights[0]) }
        #expect(error?.location == "/fc1/fc1/kernel")
        #expect(error?.description.contains("stores none") == true, "\(error?.description ?? "")")
    }

    @Test func aTensorOfAnotherFileIsRefused() throws {
        let folder = TemporaryFolder()
        KerasH5Writer.writeLegacy(folder.path + "/a.h5", Self.layers, generation: .keras2)
        KerasH5Writer.writeLegacy(folder.path + "/b.h5", Self.layers, generation: .keras3)
        let a = try KerasWeightFile(path: folder.path + "/a.h5")
        let b = try KerasWeightFile(path: folder.path + "/b.h5")
        let error = #expect(throws: WeightFileError.self) { try a.values(b.layers[1].weights[0]) }
        #expect(error?.kind == .missing)
    }
}
