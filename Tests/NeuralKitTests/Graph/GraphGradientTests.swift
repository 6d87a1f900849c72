import Testing
@testable import NeuralKit

/// The new layers' backward passes against finite differences, in small graphs where each sits
/// between weighted layers, and where tensors are read by two layers (their gradients must sum).
@Suite struct GraphGradientTests {
    static let image = ModelSpec.InputShape.image(height: 6, width: 6, channels: 3)

    static func conv(_ name: String, _ filters: Int, kernel: Size2D = Size2D(3), stride: Int = 1, padding: Padding = .same,
                     bias: Bool = true, _ activation: ActivationFunction? = nil, inputs: [String]? = nil) -> ModelNode {
        ModelNode(.conv2d(.init(filters: filters, kernel: kernel, stride: Size2D(stride), padding: padding, useBias: bias,
                                activation: activation)), name: name, inputs: inputs)
    }
    static let head: [ModelNode] = [ModelNode(.flatten, name: "flat"), ModelNode(.dense(units: 3, activation: nil), name: "logits")]

    static let cases: [(String, [ModelNode])] = [
        ("residual: a tensor read by a convolution and an add", [
            conv("c1", 16, .relu), conv("c2", 16), ModelNode(.add, name: "sum", inputs: ["c1", "c2"]),
            ModelNode(.activation(.relu), name: "relu")] + head),
        ("the input read by two branches, concatenated", [
            conv("a", 16, kernel: Size2D(height: 1, width: 3), bias: false, inputs: ["input"]),
            conv("b", 32, kernel: Size2D(height: 3, width: 1), .relu, inputs: ["input"]),
            ModelNode(.concat, name: "cat", inputs: ["a", "b", "a"]),
            ModelNode(.averagePool(.init(size: Size2D(3), stride: .one, padding: .same)), name: "avg"), conv("c", 4)] + head),
        ("average pooling that counts its padding (timm's Inception)", [
            conv("c1", 16),
            ModelNode(.averagePool(.init(size: Size2D(3), stride: .one, padding: .same, includesPadding: true)), name: "avg"),
            conv("c2", 4)] + head),
        ("batch norm with batch statistics", [
            conv("c1", 16, bias: false), ModelNode(.batchNorm(.init(epsilon: 1e-3, momentum: 0.9)), name: "bn"),
            ModelNode(.activation(.relu6), name: "relu6"), conv("c2", 4)] + head),
        ("batch norm frozen under a trained convolution", [
            conv("c1", 16, bias: false), ModelNode(.batchNorm(.init()), name: "bn", trainable: false), conv("c2", 4, .relu)] + head),
        ("depthwise stride 2 after asymmetric zero padding, relu6", [
            conv("c1", 8, .relu),
            ModelNode(.zeroPadding(.init(top: 0, bottom: 1, left: 0, right: 1)), name: "pad"),
            ModelNode(.depthwiseConv2d(.init(kernel: Size2D(3), stride: Size2D(2), padding: .valid, useBias: false, activation: .relu6)), name: "dw"),
            conv("pw", 4, kernel: .one)] + head),
        ("zero padding then max pool 3 stride 2, global max pool", [
            conv("c1", 16, .relu), ModelNode(.zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)), name: "pad"),
            ModelNode(.maxPool(.init(size: Size2D(3), stride: Size2D(2))), name: "pool"), conv("c2", 8),
            ModelNode(.globalMaxPool, name: "gmp"), ModelNode(.dense(units: 3, activation: nil), name: "logits")]),
    ]

    @Test(arguments: cases.indices)
    func gradientsMatchFiniteDifferences(_ index: Int) throws {
        let (label, nodes) = Self.cases[index]
        let spec = ModelSpec(name: "t", input: Self.image, nodes: nodes, head: .softmax)
        let outcome = try GradientCheck(spec: spec, batch: 4).run()
        #expect(outcome.mismatches.isEmpty, "\(label): \(outcome.mismatches)")
        #expect(outcome.checked >= 4 * outcome.skipped, "\(label): \(outcome.skipped) of \(outcome.checked + outcome.skipped) points at kinks")
        #expect(outcome.checked > 10, "\(label)")
        #expect(!outcome.implementations.contains { $0.hasPrefix("ref") }, "\(label): \(outcome.implementations.filter { $0.hasPrefix("ref") })")
    }

    /// A frozen layer's weights and batch-norm statistics come out of training bit-identical;
    /// it has no gradient, and nothing below the lowest trained layer runs backward.
    @Test func frozenLayersStayExactlyAsLoaded() throws {
        let nodes: [ModelNode] = [
            ModelNode(.conv2d(.init(filters: 8, kernel: Size2D(3), padding: .same, useBias: false)), name: "c1", trainable: false),
            ModelNode(.batchNorm(.init(momentum: 0.5)), name: "bn", trainable: false),
            ModelNode(.activation(.relu), name: "relu"),
            ModelNode(.conv2d(.init(filters: 4, kernel: Size2D(3), padding: .same)), name: "c2")] + Self.head
        let spec = ModelSpec(name: "t", input: Self.image, nodes: nodes, head: .softmax)
        let network = try Network(spec: spec, batchSize: 4, training: true, engine: try ComputeEngine(threads: 2), seed: 3)
        // Statistics that are not the initial ones, so a moving update would show.
        try network.load(Dictionary(uniqueKeysWithValues: try network.exportedTensors().map { tensor in
            var t = tensor
            if t.name == "bn.moving_mean" { t.values = t.values.indices.map { Float($0) / 10 } }
            if t.name == "bn.moving_variance" { t.values = t.values.indices.map { 0.5 + Float($0) / 10 } }
            return (t.name, t)
        }))
        let before = try network.exportedTensors()
        #expect(network.parameters.map(\.name) == ["c2.kernel", "c2.bias", "logits.kernel", "logits.bias"])
        let optimizer = try OptimizerSettings(kind: .adam, learningRate: 0.1).makeOptimizer(for: network.parameters)
        write(pseudoRandom(network.input.dims.reduce(1, *), seed: 5), into: network)
        for step in 0..<3 {
            try network.forward(training: true, step: step)
            for i in 0..<network.outputGradient!.capacity { network.outputGradient!.floats[i] = Float(i % 3) - 1 }
            try network.backward()
            optimizer.step()
        }
        let after = try network.exportedTensors()
        for (a, b) in zip(before, after) where a.name.hasPrefix("c1.") || a.name.hasPrefix("bn.") {
            #expect(a.values == b.values, "\(a.name) changed")
        }
        #expect(zip(before, after).contains { $0.name == "c2.kernel" && $0.values != $1.values })
        // c1 and bn run forward only: no weight-gradient or input-gradient primitive.
        #expect(network.layers[0].implementations.count == 1, "\(network.layers[0].implementations)")
        #expect(network.layers[1].implementations.count == 1, "\(network.layers[1].implementations)")
    }

    /// Model files written before graphs (a plain list of layers) read as the same model.
    @Test func sequentialModelFilesReadUnchanged() throws {
        let json = #"{"name": "m", "input": {"image": {"height": 8, "width": 8, "channels": 3}}, "head": "softmax", "layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "stride": 1, "padding": "same", "activation": "relu"}, {"type": "max_pool", "size": 2}, {"type": "flatten"}, {"type": "dense", "units": 2}]}"#
        let spec = try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        #expect(spec == ModelSpec(name: "m", input: .image(height: 8, width: 8, channels: 3), layers: [
            .conv2d(filters: 4, kernel: 3, stride: 1, padding: .same, activation: .relu), .maxPool(size: 2), .flatten,
            .dense(units: 2, activation: nil)], head: .softmax))
        #expect(spec.layerNames == ["conv2d_1", "max_pool_1", "flatten_1", "dense_1"])
    }

    @Test func badReferencesAreRefusedNamingTheNode() {
        func refused(_ nodes: [ModelNode], _ message: String) {
            let spec = ModelSpec(name: "t", input: Self.image, nodes: nodes + Self.head, head: .softmax)
            #expect(throws: ModelError.self, "\(message)") { try spec.validate() }
            do { try spec.validate() } catch { #expect(error.description.contains(message), "\(error)") }
        }
        refused([Self.conv("a", 4, inputs: ["b"]), Self.conv("b", 4)], "layers[0] (a).inputs names 'b', which is not a layer before it")
        refused([Self.conv("a", 4), Self.conv("a", 4)], "the name 'a' is taken by layers[0]")
        refused([Self.conv("a", 4), ModelNode(.add, name: "s")], "reads two or more inputs")
        refused([Self.conv("a", 4), Self.conv("b", 5), ModelNode(.add, name: "s", inputs: ["a", "b"])], "adds inputs of different shapes")
        refused([Self.conv("a", 4), ModelNode(.flatten, name: "f"), ModelNode(.concat, name: "c", inputs: ["a", "f"])], "needs an image input")
    }
}

import Foundation
