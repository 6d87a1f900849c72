import Foundation
import Testing
@testable import NeuralKit

/// timm `model.safetensors` files, written here with timm's own keys (the fixtures) and random
/// values, loaded into timm-family networks: every network tensor must then equal the file's
/// tensor converted from PyTorch's layout, every float tensor of the file but the classifier
/// must be used, and files that cannot serve get errors naming the key. Networks are built small
/// (32x32, Inception V3 75x75) and at batch 1.
@Suite struct TimmWeightLoadingTests {
    static func network(_ backbone: Backbone, size: Int? = nil, includeTop: Bool, family: BackboneFamily = .timm) throws -> Network {
        let side = size ?? (includeTop ? backbone.defaultSize : backbone.minimumSize)
        let spec = try backbone.spec(height: side, width: side, includeTop: includeTop, family: family)
        return try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 2),
                           classifier: includeTop, initializeWeights: false)
    }

    /// Every tensor of `network` equals its key's values in `file`, converted; returns how many.
    @discardableResult
    static func expectHolds(_ network: Network, _ file: TimmFileWriter.Written) throws -> Int {
        let tensors = try network.exportedTensors()
        for tensor in tensors {
            let key = TimmFileWriter.key(of: tensor.name)
            guard let values = file.values[key] else {
                Issue.record("\(tensor.name): the file has no \(key)")
                continue
            }
            let same = tensor.values == TimmFileWriter.saved(values, name: tensor.name, saved: tensor.shape)
            #expect(same, "\(tensor.name): the network's values differ from \(key)'s")
        }
        return tensors.count
    }

    /// Each backbone without its top, from a with-top F32 file: every float key but the
    /// classifier's is used, the classifier is reported unused, `num_batches_tracked` is ignored.
    @Test(arguments: Backbone.allCases)
    func withTopFileLoadsIntoTheBackboneWithoutTop(_ backbone: Backbone) throws {
        let fixture = try TimmStateDictFixture(backbone)
        let folder = TemporaryFolder()
        // VGG16's classifier is 124 million values; a network without it never reads them, so
        // the file holds them cut to 4 rows (they are not checked, only reported unused).
        let big = fixture.keys.filter { fixture.headKeys.contains($0.name) && $0.shape.reduce(1, *) > 1 << 20 }
        let file = try TimmFileWriter.write(fixture.keys, to: folder.path + "/model.safetensors", seed: 16,
                                            shapes: Dictionary(uniqueKeysWithValues: big.map { ($0.name, [4] + $0.shape.dropFirst()) }))
        let network = try Self.network(backbone, includeTop: false)
        let report = try TimmWeightLoading.load(path: file.path, backbone: backbone, into: network)
        let backboneKeys = fixture.floatKeys(includeTop: false)
        #expect(report.tensors == backboneKeys.count)
        #expect(report.values == backboneKeys.reduce(0) { $0 + $1.shape.reduce(1, *) })
        #expect(Set(report.unusedTensors) == fixture.headKeys)
        #expect(try Self.expectHolds(network, file) == backboneKeys.count)
    }

    /// With the classifier, from a BF16 file (as some hub files are): converted exactly.
    @Test(arguments: [Backbone.mobilenetV2])
    func withTopNetworkFromABFloat16File(_ backbone: Backbone) throws {
        let fixture = try TimmStateDictFixture(backbone)
        let folder = TemporaryFolder()
        let file = try TimmFileWriter.write(fixture.keys, to: folder.path + "/model.safetensors", type: .BF16, seed: 3)
        let network = try Self.network(backbone, includeTop: true)
        let report = try TimmWeightLoading.load(path: file.path, backbone: backbone, into: network)
        #expect(report.unusedTensors.isEmpty)
        #expect(report.tensors == fixture.floatKeys(includeTop: true).count)
        #expect(try Self.expectHolds(network, file) == fixture.floatKeys(includeTop: true).count)
    }

    /// The conversions pinned on small tensors: OIHW (2, 3, 1, 2) to HWIO, depthwise (2, 1, 2, 1)
    /// to (2, 1, 2, 1) HWC1, linear (2, 3) to (3, 2).
    @Test func layoutsConvertAsDefined() {
        let oihw = (0..<12).map(Float.init)
        let hwio = TimmTensorLayout.convolution.toSaved(oihw, saved: [1, 2, 3, 2])
        // HWIO [0][x][i][o] = OIHW [o][i][0][x] = o*6 + i*2 + x.
        #expect(hwio == [0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11])
        #expect(TimmTensorLayout.convolution.timmShape([1, 2, 3, 2]) == [2, 3, 1, 2])
        // Depthwise (C=2, 1, kh=2, kw=1) -> (kh=2, kw=1, C=2, 1): [y][0][c] = c*2 + y.
        #expect(TimmTensorLayout.depthwise.toSaved([0, 1, 2, 3], saved: [2, 1, 2, 1]) == [0, 2, 1, 3])
        #expect(TimmTensorLayout.depthwise.timmShape([2, 1, 2, 1]) == [2, 1, 2, 1])
        #expect(TimmTensorLayout.dense.toSaved([0, 1, 2, 3, 4, 5], saved: [3, 2]) == [0, 3, 1, 4, 2, 5])
        #expect(TimmTensorLayout.dense.timmShape([3, 2]) == [2, 3])
    }

    // MARK: - Files that cannot serve

    static func mobileNetFile(_ folder: TemporaryFolder, keys: [TimmStateDictFixture.Key]? = nil, shapes: [String: [Int]] = [:],
                              change: [String: (inout [Float]) -> Void] = [:]) throws -> String {
        let fixture = try TimmStateDictFixture(.mobilenetV2)
        return try TimmFileWriter.write(keys ?? fixture.keys, to: folder.path + "/model.safetensors", seed: 5, shapes: shapes, change: change).path
    }

    @Test func wrongShapeNamesTheKeyAndBothShapes() throws {
        let folder = TemporaryFolder()
        let path = try Self.mobileNetFile(folder, shapes: ["blocks.2.1.conv_dw.weight": [192, 1, 5, 5]])
        let error = #expect(throws: WeightFileError.self) { try TimmWeightLoading.load(path: path, backbone: .mobilenetV2, into: try Self.network(.mobilenetV2, includeTop: false)) }
        #expect(error?.kind == .format)
        #expect(error?.location == "blocks.2.1.conv_dw.weight")
        #expect(error?.description.contains("[192, 1, 5, 5]") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("[192, 1, 3, 3]") == true, "\(error?.description ?? "")")
    }

    @Test func missingKeyIsNamed() throws {
        let folder = TemporaryFolder()
        let keys = try TimmStateDictFixture(.mobilenetV2).keys.filter { $0.name != "blocks.4.2.bn3.running_var" }
        let path = try Self.mobileNetFile(folder, keys: keys)
        let error = #expect(throws: WeightFileError.self) { try TimmWeightLoading.load(path: path, backbone: .mobilenetV2, into: try Self.network(.mobilenetV2, includeTop: false)) }
        #expect(error?.kind == .missing)
        #expect(error?.location == "blocks.4.2.bn3.running_var")
        #expect(error?.description.contains("blocks.4.2.bn3.moving_variance") == true, "\(error?.description ?? "")")
    }

    /// A file without the classifier serves the backbone, and the with-top network is told why not.
    @Test func notopFileForTheWithTopNetworkSaysSo() throws {
        let folder = TemporaryFolder()
        let fixture = try TimmStateDictFixture(.mobilenetV2)
        let path = try Self.mobileNetFile(folder, keys: fixture.keys.filter { !fixture.headKeys.contains($0.name) })
        let report = try TimmWeightLoading.load(path: path, backbone: .mobilenetV2, into: try Self.network(.mobilenetV2, includeTop: false))
        #expect(report.unusedTensors.isEmpty)
        let error = #expect(throws: WeightFileError.self) { try TimmWeightLoading.load(path: path, backbone: .mobilenetV2, into: try Self.network(.mobilenetV2, includeTop: true)) }
        #expect(error?.kind == .missing)
        #expect(error?.description.contains("classifier") == true, "\(error?.description ?? "")")
    }

    @Test func anotherBackbonesFileIsNamed() throws {
        let folder = TemporaryFolder()
        let path = try Self.mobileNetFile(folder)
        let error = #expect(throws: WeightFileError.self) { try TimmWeightLoading.load(path: path, backbone: .resnet50, into: try Self.network(.resnet50, includeTop: false)) }
        #expect(error?.description.contains("mobilenetv2_100") == true, "\(error?.description ?? "")")
    }

    /// The family is never guessed: a Keras-family network has none of timm's layers.
    @Test func kerasFamilyNetworkIsRefused() throws {
        let folder = TemporaryFolder()
        let path = try Self.mobileNetFile(folder)
        let keras = try Self.network(.mobilenetV2, includeTop: false, family: .keras)
        let error = #expect(throws: WeightFileError.self) { try TimmWeightLoading.load(path: path, backbone: .mobilenetV2, into: keras) }
        #expect(error?.description.contains("family: .timm") == true, "\(error?.description ?? "")")
    }

    @Test func nonFiniteValuesAreRefused() throws {
        let folder = TemporaryFolder()
        let path = try Self.mobileNetFile(folder, change: ["conv_head.weight": { $0[7] = .nan }])
        let error = #expect(throws: WeightFileError.self) { try TimmWeightLoading.load(path: path, backbone: .mobilenetV2, into: try Self.network(.mobilenetV2, includeTop: false)) }
        #expect(error?.location == "conv_head.weight")
        #expect(error?.description.contains("index 7") == true, "\(error?.description ?? "")")
    }
}
