import Foundation
import Testing
@testable import NeuralKit

@Suite struct ModelSpecTests {
    @Test func specsRoundTripThroughJSON() throws {
        for architecture in ModelArchitecture.allCases {
            let spec = architecture.spec(input: .image(height: 64, width: 64, channels: 3), classes: 7, head: .softmax)
            let data = try JSONEncoder().encode(spec)
            #expect(try JSONDecoder().decode(ModelSpec.self, from: data) == spec)
        }
        let json = #"{"type": "dense", "units": 5, "activation": "leaky_relu", "negative_slope": 0.1}"#
        #expect(try JSONDecoder().decode(LayerSpec.self, from: Data(json.utf8)) == .dense(units: 5, activation: .leakyReLU(slope: 0.1)))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LayerSpec.self, from: Data(#"{"type": "lstm"}"#.utf8)) }
    }

    /// seed-cnn at 128x128 has exactly the Keras model's 10,588,458 weights for 10 classes, its
    /// kernels saved in Keras' shapes, and no primitive falls back to oneDNN's reference code.
    @Test func seedCNNMatchesTheKerasModel() throws {
        let spec = ModelArchitecture.seedCNN.spec(input: .image(height: 128, width: 128, channels: 3), classes: 10, head: .softmax)
        let network = try Network(spec: spec, batchSize: 2, training: true, engine: try ComputeEngine(threads: 2))
        #expect(network.parameters.reduce(0) { $0 + $1.count } == 10_588_458)
        #expect(network.parameters.first { $0.name == "conv2d_7.kernel" }?.savedShape == [5, 5, 128, 512])
        #expect(network.parameters.first { $0.name == "dense_1.kernel" }?.savedShape == [2048, 1024])
        let implementations = network.layers.flatMap(\.implementations)
        #expect(!implementations.contains { $0.hasPrefix("ref") }, "\(implementations)")
        #expect(network.inputLayout != .nhwc || !implementations.isEmpty)
    }

    @Test func smallCNNAndMLPUseFastKernels() throws {
        for architecture in [ModelArchitecture.smallCNN, .mlp] {
            let spec = architecture.spec(input: .image(height: 32, width: 32, channels: 3), classes: 4, head: .softmax)
            let network = try Network(spec: spec, batchSize: 4, training: true, engine: try ComputeEngine(threads: 2))
            let implementations = network.layers.flatMap(\.implementations)
            #expect(!implementations.contains { $0.hasPrefix("ref") }, "\(architecture): \(implementations)")
        }
    }

    @Test func layersThatDoNotFitAreRefused() {
        let spec = ModelSpec(name: "x", input: .image(height: 4, width: 4, channels: 3),
                             layers: [.conv2d(filters: 4, kernel: 5, stride: 1, padding: .valid, activation: nil), .flatten,
                                      .dense(units: 2, activation: nil)], head: .softmax)
        #expect(throws: ModelError.self) { _ = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1)) }
    }
}

/// A convolution's ReLU moved past the max pooling after it gives the same outputs and
/// gradients as applying it where the model says.
@Suite struct ActivationPlacementTests {
    @Test func reluAfterPoolingEqualsReluBeforeIt() throws {
        let conv = LayerSpec.conv2d(filters: 16, kernel: 3, stride: 1, padding: .same, activation: nil)
        let head: [LayerSpec] = [.flatten, .dense(units: 3, activation: nil)]
        for function in [ActivationFunction.relu, .leakyReLU(slope: 0.3)] {
            let convWith = LayerSpec.conv2d(filters: 16, kernel: 3, stride: 1, padding: .same, activation: function)
            let fused = ModelSpec(name: "a", input: .image(height: 8, width: 8, channels: 3), layers: [convWith, .maxPool(size: 2)] + head, head: .softmax)
            let separate = ModelSpec(name: "b", input: .image(height: 8, width: 8, channels: 3),
                                     layers: [conv, .activation(function), .maxPool(size: 2)] + head, head: .softmax)
            #expect(NetworkPlan(try ModelGraph(fused)).steps.compactMap { ($0.layer as? Pooling)?.activation } == [function])
            let engine = try ComputeEngine(threads: 2)
            let a = try Network(spec: fused, batchSize: 2, training: true, engine: engine, seed: 4)
            let b = try Network(spec: separate, batchSize: 2, training: true, engine: engine, seed: 4)
            for i in 0..<a.input.capacity { a.input.floats[i] = Float(i % 17) / 8 - 1; b.input.floats[i] = a.input.floats[i] }
            try a.forward(training: true)
            try b.forward(training: true)
            #expect(Array(a.logits.buffer) == Array(b.logits.buffer))
            for i in 0..<a.logitsGradient!.capacity { a.logitsGradient!.floats[i] = Float(i % 5) - 2; b.logitsGradient!.floats[i] = Float(i % 5) - 2 }
            try a.backward()
            try b.backward()
            for (p, q) in zip(a.parameters, b.parameters) { #expect(try p.plainGradient() == q.plainGradient(), "\(p.name)") }
        }
    }
}
