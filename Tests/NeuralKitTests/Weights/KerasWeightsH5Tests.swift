import Foundation
import Testing
import TestSupport
@testable import NeuralKit

/// Keras 3's `.weights.h5` layout, written by KerasH5Writer and read back.
@Suite struct KerasWeightsH5Tests {
    @Test func readsLayersByClassThenKerasNumberWithTheirNames() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/model.weights.h5"
        let kernel = KerasH5Writer.values(3 * 3 * 3 * 4, seed: 1)
        // Written in an order unlike the expected one: the reader must not depend on it.
        KerasH5Writer.writeWeightsH5(path, [
            .init(group: "layers/dense", name: "predictions", values: [([4, 2], KerasH5Writer.values(8, seed: 2)), ([2], [0.5, -0.5])]),
            .init(group: "layers/conv2d_10", name: "block5_conv1", values: [([1], [10])]),
            .init(group: "layers/conv2d_2", name: "block2_conv1", values: [([1], [2])]),
            .init(group: "layers/conv2d", name: "block1_conv1", values: [([3, 3, 3, 4], kernel), ([4], [1, 2, 3, 4])]),
            .init(group: "layers/conv2d_1", name: "block1_conv2", values: [([1], [1])]),
            .init(group: "layers/max_pooling2d", name: "block1_pool", values: []),
            .init(group: "layers/input_layer", name: "input_layer", values: []),
        ])
        let file = try KerasWeightFile(path: path)
        #expect(file.layout == .weightsH5)
        #expect(file.kerasVersion == nil)
        #expect(file.layers.map(\.path) == ["/layers/conv2d", "/layers/conv2d_1", "/layers/conv2d_2", "/layers/conv2d_10",
                                            "/layers/dense", "/layers/input_layer", "/layers/max_pooling2d"])
        #expect(file.layers.map(\.name) == ["block1_conv1", "block1_conv2", "block2_conv1", "block5_conv1",
                                            "predictions", "input_layer", "block1_pool"])
        let conv = try #require(file.layer(named: "block1_conv1"))
        #expect(conv.weights.map(\.name) == ["0", "1"])
        #expect(conv.weights.map(\.path) == ["/layers/conv2d/vars/0", "/layers/conv2d/vars/1"])
        #expect(conv.weights.map(\.shape) == [[3, 3, 3, 4], [4]])
        #expect(try file.values(conv.weights[0]) == kernel)
        #expect(try file.values(conv.weights[1]) == [1, 2, 3, 4])
        // The optimizer's state (an int64 iteration count among it) is not a layer.
        #expect(!file.layers.contains { $0.path.hasPrefix("/optimizer") })
    }

    @Test func variablesAreInIndexOrderPastNine() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/many.weights.h5"
        let variables = (0..<12).map { ([1], [Float($0)]) }
        KerasH5Writer.writeWeightsH5(path, [.init(group: "layers/custom", name: "custom", values: variables)])
        let file = try KerasWeightFile(path: path)
        let layer = try #require(file.layers.first)
        #expect(layer.weights.map(\.name) == (0..<12).map(String.init))
        #expect(try layer.weights.map { try file.values($0)[0] } == (0..<12).map(Float.init))
    }

    /// A model used as a layer (a backbone inside a classifier) is saved as
    /// `layers/functional/layers/...`: its own entry, then its layers.
    @Test func nestedModelsAreReadDepthFirst() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/nested.weights.h5"
        KerasH5Writer.writeWeightsH5(path, [
            .init(group: "layers/input_layer", name: "input_layer_1", values: []),
            .init(group: "layers/functional", name: "mobilenetv2_1.00_224", values: []),
            .init(group: "layers/functional/layers/conv2d", name: "Conv1", values: [([3, 3, 3, 2], KerasH5Writer.values(54, seed: 1))]),
            .init(group: "layers/functional/layers/batch_normalization", name: "bn_Conv1",
                  values: [([2], [1, 2]), ([2], [3, 4]), ([2], [5, 6]), ([2], [7, 8])]),
            .init(group: "layers/dense", name: "head", values: [([2, 3], KerasH5Writer.values(6, seed: 2)), ([3], [0, 0, 1])]),
        ])
        let file = try KerasWeightFile(path: path)
        #expect(file.layers.map(\.name) == ["head", "mobilenetv2_1.00_224", "bn_Conv1", "Conv1", "input_layer_1"])
        #expect(file.layers[2].path == "/layers/functional/layers/batch_normalization")
        #expect(try file.values(file.layers[2].weights[3]) == [7, 8])
        #expect(file.weightedLayers.map(\.name) == ["head", "bn_Conv1", "Conv1"])
    }

    @Test func containerOrderFollowsKerasNumbering() {
        #expect(KerasV3Index.containerOrder(["re_lu_10", "conv2d", "re_lu", "conv2d_1", "re_lu_2", "add_1", "add"])
                == ["add", "add_1", "conv2d", "conv2d_1", "re_lu", "re_lu_2", "re_lu_10"])
    }
}
