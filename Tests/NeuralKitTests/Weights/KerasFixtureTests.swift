import Foundation
import Testing
import TestSupport
@testable import NeuralKit

/// Files written by real Keras 3.15.1 (bench/fixtures/make_keras_weight_fixtures.py), read and
/// checked against what the same script recorded from the model: this pins the layouts
/// KerasH5Writer imitates to what Keras actually writes.
@Suite struct KerasFixtureTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/keras").path

    struct Expected: Decodable {
        struct Layer: Decodable {
            var name: String
            var `class`: String
            var weights_h5_group: String
            var weights: [Weight]
        }

        struct Weight: Decodable {
            var legacy_name: String
            var shape: [Int]
            var first: [Float]
        }

        var keras_version: String
        var backend: String
        var layers: [Layer]
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json")))
    }

    @Test func theLegacyFileMatchesTheModel() throws {
        let expected = try Self.expected()
        let file = try KerasWeightFile(path: Self.folder + "/tiny_legacy.h5")
        #expect(file.layout == .legacyNestedWithoutIndex)
        #expect(file.kerasVersion == expected.keras_version)
        #expect(file.backend == expected.backend)
        // Keras also writes a `top_level_model_weights` group; layer_names does not list it.
        #expect(file.layers.map(\.name) == expected.layers.map(\.name))
        for (layer, model) in zip(file.layers, expected.layers) {
            #expect(layer.weights.map(\.name) == model.weights.map(\.legacy_name))
            try Self.expectWeights(file, layer, model)
        }
    }

    @Test func theWeightsH5FileMatchesTheModel() throws {
        let expected = try Self.expected()
        let file = try KerasWeightFile(path: Self.folder + "/tiny.weights.h5")
        #expect(file.layout == .weightsH5)
        #expect(Set(file.layers.map(\.name)) == Set(expected.layers.map(\.name)))
        #expect(file.layers.count == expected.layers.count)
        for model in expected.layers {
            let layer = try #require(file.layer(named: model.name))
            #expect(layer.path == model.weights_h5_group)
            #expect(layer.weights.map(\.name) == model.weights.indices.map(String.init))
            try Self.expectWeights(file, layer, model)
        }
        // Within one class the file order is model order (conv before pw, both Conv2D).
        let convolutions = file.layers.filter { $0.path.hasPrefix("/layers/conv2d") }.map(\.name)
        #expect(convolutions == expected.layers.filter { $0.class == "Conv2D" }.map(\.name))
    }

    static func expectWeights(_ file: KerasWeightFile, _ layer: KerasWeightFile.Layer, _ model: Expected.Layer) throws {
        #expect(layer.weights.map(\.shape) == model.weights.map(\.shape), "\(layer.name)")
        for (tensor, weight) in zip(layer.weights, model.weights) {
            #expect(tensor.storedType == .float(bits: 32))
            let values = try file.values(tensor)
            #expect(values.count == weight.shape.reduce(1, *))
            #expect(Array(values.prefix(4)) == weight.first, "\(tensor.path)")
        }
    }
}
