import Foundation
import Testing
import TestSupport
@testable import NeuralKit

/// Keras weight files of every naming generation, written here through libhdf5 with random
/// values, loaded into backbone networks: every network tensor must then equal what was written
/// in Keras' layout (conv HWIO, depthwise `(kh, kw, C, 1)`, batch-norm vectors, dense
/// `(in, out)`), and every file that cannot serve gets an error that says why. Networks are
/// built small (32x32, Inception V3 75x75) and at batch 1 to keep the suite quick.
@Suite struct BackboneWeightLoadingTests {
    /// A file written for a backbone, and the values its layers hold by the network's layer name.
    struct WrittenFile {
        let path: String
        let expected: [String: [[Float]]]
    }

    /// `backbone`'s Keras model in `model.layers` order (weightless layers included), from the
    /// graph fixture; without the top when `includeTop` is false.
    static func model(_ backbone: Backbone, includeTop: Bool) throws -> [KerasRandomWeights.ModelLayer] {
        let fixture = try KerasGraphFixture(backbone.rawValue)
        return fixture.layers.filter { includeTop || !fixture.topOnly.contains($0.name) }
            .map { KerasRandomWeights.ModelLayer(name: $0.name, kerasClass: $0.kerasClass, shapes: $0.weights ?? []) }
    }

    /// Writes `model` as a legacy `.h5` of `generation`, the file's layer names given by `rename`.
    static func writeLegacy(_ folder: TemporaryFolder, _ name: String, _ model: [KerasRandomWeights.ModelLayer],
                            generation: KerasH5Writer.Generation, seed: UInt64,
                            rename: (String) -> String = { $0 }) -> WrittenFile {
        let layers = KerasRandomWeights.layers(model, generation: generation, seed: seed)
        let renamed = layers.map { KerasH5Writer.Layer(rename($0.name), $0.weights) }
        let path = folder.path + "/" + name
        KerasH5Writer.writeLegacy(path, renamed, generation: generation)
        return WrittenFile(path: path, expected: expected(layers))
    }

    static func expected(_ layers: [KerasH5Writer.Layer]) -> [String: [[Float]]] {
        Dictionary(layers.filter { !$0.weights.isEmpty }.map { ($0.name, $0.weights.map(\.values)) }, uniquingKeysWith: { a, _ in a })
    }

    static func network(_ backbone: Backbone, size: Int? = nil, includeTop: Bool) throws -> Network {
        let spec = try backbone.spec(height: size, width: size, includeTop: includeTop)
        return try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 2),
                           classifier: includeTop, initializeWeights: false)
    }

    /// Every tensor of `network` equals what `file` wrote for its layer, in Keras' layout, and
    /// every written layer but `unused` is in the network.
    static func expectHolds(_ network: Network, _ file: WrittenFile, unused: Set<String> = []) throws {
        var loaded: [String: [[Float]]] = [:]
        for tensor in try network.exportedTensors() {
            loaded[String(tensor.name[..<tensor.name.lastIndex(of: ".")!]), default: []].append(tensor.values)
        }
        #expect(Set(loaded.keys) == Set(file.expected.keys).subtracting(unused))
        for (layer, values) in loaded {
            // Compared whole, reported by name (printing millions of values helps nobody).
            let same = values == file.expected[layer]
            #expect(same, "\(layer): the network's values differ from the file's")
        }
    }

    static func load(_ path: String, _ backbone: Backbone, into network: Network) throws -> KerasWeightLoading.Report {
        try KerasWeightLoading.load(try KerasWeightFile(path: path), backbone: backbone, into: network)
    }

    // MARK: - Files that load

    /// MobileNetV2's with-top file as Keras 2 wrote it (`Conv1/kernel:0`, fixed-length strings
    /// without a terminator), into the with-top network at 224.
    @Test func mobileNetV2Keras2FileLoadsByName() throws {
        let folder = TemporaryFolder()
        let file = Self.writeLegacy(folder, "mobilenet_v2.h5", try Self.model(.mobilenetV2, includeTop: true), generation: .keras2, seed: 1)
        let network = try Self.network(.mobilenetV2, includeTop: true)
        let report = try Self.load(file.path, .mobilenetV2, into: network)
        #expect(report.matchedBy == .name)
        #expect(report.unusedLayers.isEmpty)
        #expect(report.layers == KerasWeightTable.mobileNetV2.entries.count)
        #expect(report.values == 3_538_984)
        try Self.expectHolds(network, file)
    }

    /// A with-top file serves a network without the top: the classifier is left, and said to be.
    @Test func aWithTopFileServesANetworkWithoutTop() throws {
        let folder = TemporaryFolder()
        let file = Self.writeLegacy(folder, "mobilenet_v2.h5", try Self.model(.mobilenetV2, includeTop: true), generation: .keras2, seed: 2)
        let network = try Self.network(.mobilenetV2, size: 32, includeTop: false)
        let report = try Self.load(file.path, .mobilenetV2, into: network)
        #expect(report.matchedBy == .name)
        #expect(report.unusedLayers == ["predictions"])
        #expect(report.values == 2_257_984)
        try Self.expectHolds(network, file, unused: ["predictions"])
    }

    /// VGG16's notop file is from Keras 1: flat names (`block1_conv1_W_1:0`), no version attributes.
    @Test func vgg16Keras1FileLoadsByName() throws {
        let folder = TemporaryFolder()
        let file = Self.writeLegacy(folder, "vgg16_notop.h5", try Self.model(.vgg16, includeTop: false), generation: .keras1, seed: 3)
        #expect(try KerasWeightFile(path: file.path).layout == .legacyFlat)
        let network = try Self.network(.vgg16, size: 32, includeTop: false)
        let report = try Self.load(file.path, .vgg16, into: network)
        #expect(report.matchedBy == .name)
        #expect(report.layers == 13)
        #expect(report.values == 14_714_688)
        try Self.expectHolds(network, file)
    }

    /// Inception V3 files from Keras 2 number the generated names from 1 (`conv2d_1`,
    /// `batch_normalization_1`), one more than a fresh Keras 3 process: every name points at the
    /// wrong layer, so only Keras' own rule, by position, loads them. Written from the weight
    /// table in its order, with the top; loaded into the network without it.
    @Test func inceptionV3Keras2FileLoadsByPosition() throws {
        let folder = TemporaryFolder()
        let table = KerasWeightTable.inceptionV3
        let model = table.entries.map { KerasRandomWeights.ModelLayer(name: $0.name, kerasClass: $0.kerasClass, shapes: $0.shapes) }
        let file = Self.writeLegacy(folder, "inception_v3.h5", model, generation: .keras2, seed: 4, rename: Self.keras2Name)
        let written = try KerasWeightFile(path: file.path)
        #expect(written.weightedLayers.first?.name == "conv2d_1")
        #expect(written.weightedLayers[1].name == "batch_normalization_1")
        // Names that exist in both but mean different layers: matching them would load garbage.
        #expect(written.layer(named: "conv2d_1")?.weights.first?.shape == table.entries[0].shapes[0])
        #expect(table.entries.first { $0.name == "conv2d_1" }?.shapes[0] != table.entries[0].shapes[0])

        let network = try Self.network(.inceptionV3, size: 75, includeTop: false)
        let report = try Self.load(file.path, .inceptionV3, into: network)
        #expect(report.matchedBy == .position)
        #expect(report.layers == table.notopCount)
        #expect(report.unusedLayers == ["predictions"])
        #expect(report.values == 21_802_784)
        try Self.expectHolds(network, file, unused: ["predictions"])
    }

    /// Keras 2's name for a layer Keras 3 calls `name`: generated names numbered one higher.
    static func keras2Name(_ name: String) -> String {
        for stem in ["conv2d", "batch_normalization"] {
            if name == stem { return stem + "_1" }
            if name.hasPrefix(stem + "_"), let n = Int(name.dropFirst(stem.count + 1)) { return "\(stem)_\(n + 1)" }
        }
        return name
    }

    /// Keras 3's `model.save_weights("x.weights.h5")`: groups named by class, not by layer, so
    /// the layers are found by the name Keras records on each.
    @Test func aWeightsH5FileLoadsByName() throws {
        let folder = TemporaryFolder()
        let model = try Self.model(.mobilenetV2, includeTop: false)
        let layers = KerasRandomWeights.layers(model, generation: .keras3, seed: 5)
        let path = folder.path + "/mobilenet_v2.weights.h5"
        KerasH5Writer.writeWeightsH5(path, KerasRandomWeights.savedObjects(layers, classes: model.map(\.kerasClass)))
        let read = try KerasWeightFile(path: path)
        #expect(read.layout == .weightsH5)
        #expect(read.layer(named: "block_16_project_BN")?.path == "/layers/batch_normalization_50")
        let network = try Self.network(.mobilenetV2, size: 32, includeTop: false)
        let report = try Self.load(path, .mobilenetV2, into: network)
        #expect(report.matchedBy == .name)
        #expect(report.unusedLayers.isEmpty)
        try Self.expectHolds(network, WrittenFile(path: path, expected: Self.expected(layers)))
    }

    // MARK: - Files that cannot serve

    @Test func aNotopFileCannotServeTheClassifier() throws {
        let folder = TemporaryFolder()
        let file = Self.writeLegacy(folder, "notop.h5", try Self.model(.mobilenetV2, includeTop: false), generation: .keras2, seed: 6)
        let network = try Self.network(.mobilenetV2, includeTop: true)
        let error = #expect(throws: WeightFileError.self) { try Self.load(file.path, .mobilenetV2, into: network) }
        #expect(error?.kind == .missing)
        #expect(error?.path == file.path)
        #expect(error?.reason.contains("without its classifier") == true, "\(error?.description ?? "")")
        #expect(error?.reason.contains("predictions") == true)
        #expect(error?.reason.contains("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5") == true)
    }

    @Test func aWrongShapeNamesTheLayerAndBothShapes() throws {
        let folder = TemporaryFolder()
        var model = try Self.model(.mobilenetV2, includeTop: false)
        let index = try #require(model.firstIndex { $0.name == "block_3_project" })
        #expect(model[index].shapes == [[1, 1, 144, 32]])
        model[index].shapes = [[1, 1, 144, 33]]
        let file = Self.writeLegacy(folder, "wrong.h5", model, generation: .keras2, seed: 7)
        let network = try Self.network(.mobilenetV2, size: 32, includeTop: false)
        let error = #expect(throws: WeightFileError.self) { try Self.load(file.path, .mobilenetV2, into: network) }
        #expect(error?.kind == .format)
        #expect(error?.location == "/block_3_project")
        for part in ["block_3_project", "[1, 1, 144, 33]", "[1, 1, 144, 32]"] {
            #expect(error?.reason.contains(part) == true, "\(part) in \(error?.description ?? "")")
        }
    }

    /// A MobileNetV2 file for a VGG16 network: no names in common, a count that fits neither
    /// VGG16 file.
    @Test func aFileOfAnotherBackboneIsRefused() throws {
        let folder = TemporaryFolder()
        let file = Self.writeLegacy(folder, "mobilenet_v2.h5", try Self.model(.mobilenetV2, includeTop: false), generation: .keras2, seed: 8)
        let network = try Self.network(.vgg16, size: 32, includeTop: false)
        let error = #expect(throws: WeightFileError.self) { try Self.load(file.path, .vgg16, into: network) }
        #expect(error?.kind == .format)
        #expect(error?.path == file.path)
        #expect(error?.reason.contains("is it a vgg16 weight file?") == true, "\(error?.description ?? "")")
        #expect(error?.reason.contains("holds \(KerasWeightTable.mobileNetV2.notopCount) layers with weights") == true,
                "\(error?.description ?? "")")
    }

    @Test func aNaNIsRefusedWithItsPlace() throws {
        let folder = TemporaryFolder()
        let model = try Self.model(.mobilenetV2, includeTop: false)
        var layers = KerasRandomWeights.layers(model, generation: .keras2, seed: 9)
        let index = try #require(layers.firstIndex { $0.name == "block_5_expand_BN" })
        layers[index].weights[3].values[17] = .nan
        let path = folder.path + "/nan.h5"
        KerasH5Writer.writeLegacy(path, layers, generation: .keras2)
        let network = try Self.network(.mobilenetV2, size: 32, includeTop: false)
        let error = #expect(throws: WeightFileError.self) { try Self.load(path, .mobilenetV2, into: network) }
        #expect(error?.kind == .format)
        #expect(error?.location == "/block_5_expand_BN/block_5_expand_BN/moving_variance:0")
        #expect(error?.reason == "holds nan at index 17")
    }

    /// Keras 2.2's ResNet50 (`res2a_branch2a`, ...) is another network under the same file name:
    /// recognised and explained, not loaded by position into the wrong layers.
    @Test func theKeras22ResNet50FileIsRecognised() throws {
        let folder = TemporaryFolder()
        let old: [KerasRandomWeights.ModelLayer] = [
            .init(name: "input_1", kerasClass: "InputLayer", shapes: []),
            .init(name: "conv1", kerasClass: "Conv2D", shapes: [[7, 7, 3, 64], [64]]),
            .init(name: "bn_conv1", kerasClass: "BatchNormalization", shapes: [[64], [64], [64], [64]]),
            .init(name: "res2a_branch2a", kerasClass: "Conv2D", shapes: [[1, 1, 64, 64], [64]]),
            .init(name: "bn2a_branch2a", kerasClass: "BatchNormalization", shapes: [[64], [64], [64], [64]]),
        ]
        let file = Self.writeLegacy(folder, "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", old, generation: .keras2, seed: 10)
        let network = try Self.network(.resnet50, size: 32, includeTop: false)
        let error = #expect(throws: WeightFileError.self) { try Self.load(file.path, .resnet50, into: network) }
        #expect(error?.kind == .format)
        for part in ["Keras 2.2", "res2a_branch2a", "4d473c1dd8becc155b73f8504c6f6626"] {
            #expect(error?.reason.contains(part) == true, "\(part) in \(error?.description ?? "")")
        }
    }
}
