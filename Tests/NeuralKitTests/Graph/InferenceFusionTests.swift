import Testing
@testable import NeuralKit

/// An inference network runs convolutions with the batch normalisation folded in, the residual
/// add and the activation as post-ops, and its outputs in one planned buffer; it must compute
/// what the same layers compute one by one (a training network's inference pass).
@Suite struct InferenceFusionTests {
    static func conv(_ name: String, _ filters: Int, _ kernel: Int = 3, stride: Int = 1, bias: Bool = false, inputs: [String]? = nil) -> ModelNode {
        ModelNode(.conv2d(.init(filters: filters, kernel: Size2D(kernel), stride: Size2D(stride), padding: .same, useBias: bias)),
                  name: name, inputs: inputs)
    }
    static func bn(_ name: String) -> ModelNode { ModelNode(.batchNorm(.init(epsilon: 1e-3, momentum: 0.99)), name: name) }

    @Test func fusedInferenceEqualsLayerByLayer() throws {
        let nodes: [ModelNode] = [
            Self.conv("c1", 16, bias: true), Self.bn("b1"), ModelNode(.activation(.relu6), name: "r1"),
            Self.conv("c2", 16), Self.bn("b2"), ModelNode(.activation(.relu), name: "r2"),
            Self.conv("c3", 16, 1), Self.bn("b3"), ModelNode(.add, name: "add1", inputs: ["r1", "b3"]), ModelNode(.activation(.relu), name: "out1"),
            ModelNode(.zeroPadding(.init(top: 0, bottom: 1, left: 0, right: 1)), name: "pad"),
            ModelNode(.depthwiseConv2d(.init(kernel: Size2D(3), stride: Size2D(2), padding: .valid, useBias: false)), name: "dw"),
            Self.bn("b4"), ModelNode(.activation(.relu6), name: "r4"),
            Self.conv("c5", 16, 1, inputs: ["r4"]), Self.bn("b5"),
            // A residual whose addend is read again afterwards: it must not be overwritten.
            ModelNode(.add, name: "add2", inputs: ["r4", "b5"]),
            ModelNode(.add, name: "add3", inputs: ["add2", "r4"]),
            ModelNode(.globalAveragePool, name: "gap"), ModelNode(.dense(units: 5, activation: nil), name: "logits")]
        let spec = ModelSpec(name: "t", input: .image(height: 8, width: 8, channels: 3), nodes: nodes, head: .softmax)
        let engine = try ComputeEngine(threads: 2)
        let reference = try Network(spec: spec, batchSize: 3, training: true, engine: engine, seed: 9)
        // Batch-norm statistics that are not the initial ones, and gammas and betas too.
        let tensors = try reference.exportedTensors().map { tensor -> NamedTensor in
            var t = tensor
            let noise = pseudoRandom(t.values.count, seed: UInt64(t.name.utf8.count * 31 + t.values.count))
            if t.name.hasSuffix(".moving_variance") { t.values = noise.map { 0.5 + abs($0) } }
            if t.name.hasSuffix(".moving_mean") || t.name.hasSuffix(".beta") { t.values = noise.map { $0 * 0.3 } }
            if t.name.hasSuffix(".gamma") { t.values = noise.map { 1 + $0 * 0.5 } }
            return t
        }
        let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0) })
        try reference.load(byName)
        let fused = try Network(spec: spec, batchSize: 3, training: false, engine: engine, initializeWeights: false)
        try fused.load(byName)
        #expect(fused.activationBytes > 0)
        // Fewer layers run: c1+b1+r1, c2+b2+r2, c3+b3+add1+out1, dw+b4+r4, c5+b5+add2.
        #expect(fused.layers.count < reference.layers.count - 8, "\(fused.layers.map(\.name))")
        let input = pseudoRandom(3 * 8 * 8 * 3, seed: 4)
        write(input, into: reference)
        write(input, into: fused)
        try reference.forward(training: false)
        try fused.forward(training: false)
        let a = Array(UnsafeBufferPointer(start: reference.output.floats, count: 15))
        let b = Array(UnsafeBufferPointer(start: fused.output.floats, count: 15))
        let scale = a.map(abs).max()!
        for i in a.indices { #expect(abs(a[i] - b[i]) <= 1e-4 * scale, "\(i): \(a[i]) vs \(b[i])") }
        // A second pass (buffers reused, the addends refilled) gives the same.
        try fused.forward(training: false)
        #expect(Array(UnsafeBufferPointer(start: fused.output.floats, count: 15)) == b)
        // Weights set after a pass are folded again.
        var changed = byName
        changed["b1.gamma"]!.values = changed["b1.gamma"]!.values.map { $0 * 2 }
        try reference.load(changed)
        try fused.load(changed)
        try reference.forward(training: false)
        try fused.forward(training: false)
        for i in 0..<15 { #expect(abs(reference.output.floats[i] - fused.output.floats[i]) <= 1e-4 * scale) }
    }
}
