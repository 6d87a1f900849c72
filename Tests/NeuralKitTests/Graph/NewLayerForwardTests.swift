import Foundation
import Testing
@testable import NeuralKit

/// Each new layer's forward pass against values computed here by hand, in the Keras meaning.
@Suite struct NewLayerForwardTests {
    static func spec(_ input: ModelSpec.InputShape, _ nodes: [ModelNode]) -> ModelSpec {
        ModelSpec(name: "t", input: input, nodes: nodes, head: .softmax)
    }

    @Test func batchNormWithMovingStatistics() throws {
        let (n, h, w, c) = (2, 3, 3, 4)
        let x = pseudoRandom(n * h * w * c, seed: 1)
        let gamma: [Float] = [1, 2, 0.5, -1], beta: [Float] = [0, 1, -1, 0.25]
        let mean: [Float] = [0.1, -0.2, 0.3, 0], variance: [Float] = [1, 0.5, 2, 0.01]
        let eps = 1e-3
        let bn = Self.spec(.image(height: h, width: w, channels: c), [ModelNode(.batchNorm(.init(epsilon: eps)), name: "bn")])
        let out = try forwardOutput(bn, batch: n, input: x, weights: [
            NamedTensor(name: "bn.gamma", shape: [c], values: gamma), NamedTensor(name: "bn.beta", shape: [c], values: beta),
            NamedTensor(name: "bn.moving_mean", shape: [c], values: mean), NamedTensor(name: "bn.moving_variance", shape: [c], values: variance)])
        for i in x.indices {
            let k = i % c
            let expected = (x[i] - mean[k]) / (variance[k] + Float(eps)).squareRoot() * gamma[k] + beta[k]
            #expect(abs(out[i] - expected) < 1e-5, "\(i)")
        }
        // Inception's batch norm has no gamma (scale=False): three tensors only.
        let noScale = Self.spec(.image(height: h, width: w, channels: c), [ModelNode(.batchNorm(.init(scale: false)), name: "bn")])
        let network = try Network(spec: noScale, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1), classifier: false)
        #expect(network.storedTensors.map(\.name) == ["bn.beta", "bn.moving_mean", "bn.moving_variance"])
    }

    @Test func batchNormTrainingUsesBatchStatisticsAndMovesTheAverages() throws {
        let (n, h, w, c) = (4, 2, 2, 3)
        let x = pseudoRandom(n * h * w * c, seed: 2)
        let spec = Self.spec(.image(height: h, width: w, channels: c), [ModelNode(.batchNorm(.init(epsilon: 1e-3, momentum: 0.9)), name: "bn")])
        let network = try Network(spec: spec, batchSize: n, training: true, engine: try ComputeEngine(threads: 2), classifier: false)
        write(x, into: network)
        try network.forward(training: true)
        let out = Array(UnsafeBufferPointer(start: network.output.floats, count: x.count))
        let tensors = Dictionary(uniqueKeysWithValues: try network.exportedTensors().map { ($0.name, $0.values) })
        for k in 0..<c {
            let values = stride(from: k, to: x.count, by: c).map { Double(x[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            for i in stride(from: k, to: x.count, by: c) {
                #expect(abs(Double(out[i]) - (Double(x[i]) - mean) / (variance + 1e-3).squareRoot()) < 1e-4)
            }
            // Keras: moving = moving * momentum + batch * (1 - momentum), from 0 and 1.
            #expect(abs(Double(tensors["bn.moving_mean"]![k]) - mean * 0.1) < 1e-6)
            #expect(abs(Double(tensors["bn.moving_variance"]![k]) - (0.9 + variance * 0.1)) < 1e-6)
        }
        // An inference pass of the same network uses the moving statistics.
        try network.forward(training: false)
        let m = tensors["bn.moving_mean"]![0], v = tensors["bn.moving_variance"]![0]
        #expect(abs(network.output.floats[0] - (x[0] - m) / (v + 1e-3).squareRoot()) < 1e-5)
    }

    /// Keras' MobileNetV2 stride-2 step: `ZeroPadding2D(((0, 1), (0, 1)))` then a valid 3x3
    /// depthwise convolution (folded into one convolution with padding 0 before, 1 after).
    @Test func depthwiseConvolutionWithAsymmetricPadding() throws {
        let (n, h, w, c) = (1, 6, 6, 3)
        let x = pseudoRandom(n * h * w * c, seed: 3)
        let kernel = pseudoRandom(3 * 3 * c, seed: 4)
        let spec = Self.spec(.image(height: h, width: w, channels: c), [
            ModelNode(.zeroPadding(.init(top: 0, bottom: 1, left: 0, right: 1)), name: "pad"),
            ModelNode(.depthwiseConv2d(.init(kernel: Size2D(3), stride: Size2D(2), padding: .valid, useBias: false, activation: .relu6)), name: "dw")])
        let out = try forwardOutput(spec, batch: n, input: x, weights: [NamedTensor(name: "dw.depthwise_kernel", shape: [3, 3, c, 1], values: kernel)])
        let (oh, ow) = (3, 3)
        #expect(out.count == oh * ow * c)
        for oy in 0..<oh { for ox in 0..<ow { for k in 0..<c {
            var sum: Float = 0
            for ky in 0..<3 { for kx in 0..<3 {
                let (y, xx) = (oy * 2 + ky, ox * 2 + kx)
                guard y < h, xx < w else { continue }
                sum += x[nhwc(0, y, xx, k, h: h, w: w, c: c)] * kernel[(ky * 3 + kx) * c + k]
            } }
            #expect(abs(out[(oy * ow + ox) * c + k] - min(max(sum, 0), 6)) < 1e-5)
        } } }
    }

    @Test func nonSquareConvolutionWithoutBias() throws {
        let (h, w, c, f) = (5, 7, 2, 3)
        let x = pseudoRandom(h * w * c, seed: 5)
        let kernel = pseudoRandom(1 * 3 * c * f, seed: 6)
        let spec = Self.spec(.image(height: h, width: w, channels: c), [
            ModelNode(.conv2d(.init(filters: f, kernel: Size2D(height: 1, width: 3), padding: .same, useBias: false)), name: "conv")])
        let out = try forwardOutput(spec, batch: 1, input: x, weights: [NamedTensor(name: "conv.kernel", shape: [1, 3, c, f], values: kernel)])
        for y in 0..<h { for xx in 0..<w { for o in 0..<f {
            var sum: Float = 0
            for kx in 0..<3 {
                let sx = xx + kx - 1
                guard (0..<w).contains(sx) else { continue }
                for i in 0..<c { sum += x[nhwc(0, y, sx, i, h: h, w: w, c: c)] * kernel[(kx * c + i) * f + o] }
            }
            #expect(abs(out[nhwc(0, y, xx, o, h: h, w: w, c: f)] - sum) < 1e-5)
        } } }
    }

    /// Inception's 3x3 stride-1 `same` average pooling divides by the pixels inside the image.
    @Test func averagePoolExcludesPadding() throws {
        let (h, w, c) = (4, 4, 2)
        let x = pseudoRandom(h * w * c, seed: 7)
        let spec = Self.spec(.image(height: h, width: w, channels: c), [
            ModelNode(.averagePool(.init(size: Size2D(3), stride: .one, padding: .same)), name: "pool")])
        let out = try forwardOutput(spec, batch: 1, input: x)
        for y in 0..<h { for xx in 0..<w { for k in 0..<c {
            var sum: Float = 0, count: Float = 0
            for sy in (y - 1)...(y + 1) where (0..<h).contains(sy) {
                for sx in (xx - 1)...(xx + 1) where (0..<w).contains(sx) { sum += x[nhwc(0, sy, sx, k, h: h, w: w, c: c)]; count += 1 }
            }
            #expect(abs(out[nhwc(0, y, xx, k, h: h, w: w, c: c)] - sum / count) < 1e-6)
        } } }
    }

    /// timm's Inception V3 pool branches: `avg_pool2d(kernel_size=3, stride=1, padding=1)`
    /// counts the padding's zeros, so every window divides by 9. On a 3x3 image of ones the
    /// corner windows hold 4 ones (4/9), the edges 6 (6/9), the centre 9 (1); a 4x4 image of
    /// other values is checked against the sum over the window divided by 9.
    @Test func averagePoolIncludingPaddingDividesByTheWindow() throws {
        let pool = ModelNode(.averagePool(.init(size: Size2D(3), stride: .one, padding: .same, includesPadding: true)), name: "pool")
        let ones = try forwardOutput(Self.spec(.image(height: 3, width: 3, channels: 1), [pool]), batch: 1, input: [Float](repeating: 1, count: 9))
        let expected: [Float] = [4, 6, 4, 6, 9, 6, 4, 6, 4].map { $0 / 9 }
        for i in 0..<9 { #expect(abs(ones[i] - expected[i]) < 1e-6, "\(i): \(ones[i]), not \(expected[i])") }

        let (h, w, c) = (4, 4, 2)
        let x = pseudoRandom(h * w * c, seed: 12)
        let out = try forwardOutput(Self.spec(.image(height: h, width: w, channels: c), [pool]), batch: 1, input: x)
        for y in 0..<h { for xx in 0..<w { for k in 0..<c {
            var sum: Float = 0
            for sy in (y - 1)...(y + 1) where (0..<h).contains(sy) {
                for sx in (xx - 1)...(xx + 1) where (0..<w).contains(sx) { sum += x[nhwc(0, sy, sx, k, h: h, w: w, c: c)] }
            }
            #expect(abs(out[nhwc(0, y, xx, k, h: h, w: w, c: c)] - sum / 9) < 1e-6)
        } } }
    }

    /// `include_padding` is written only when set, read back, and refused on a max pooling
    /// (which never takes the padding), from a file and from a spec built in code.
    @Test func includePaddingInModelFiles() throws {
        let layer = LayerSpec.averagePool(.init(size: Size2D(3), stride: .one, padding: .same, includesPadding: true))
        let json = String(decoding: try JSONEncoder().encode(layer), as: UTF8.self)
        #expect(json.contains(#""include_padding":true"#), "\(json)")
        #expect(try JSONDecoder().decode(LayerSpec.self, from: Data(json.utf8)) == layer)
        let plain = String(decoding: try JSONEncoder().encode(LayerSpec.averagePool(.init(size: Size2D(3), padding: .same))), as: UTF8.self)
        #expect(!plain.contains("include_padding"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LayerSpec.self, from: Data(#"{"type": "max_pool", "size": 3, "include_padding": true}"#.utf8))
        }
        let spec = Self.spec(.image(height: 4, width: 4, channels: 1),
                             [ModelNode(.maxPool(.init(size: Size2D(3), includesPadding: true)), name: "pool")])
        let error = #expect(throws: ModelError.self) { try spec.validate(classifier: false) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("include_padding"))
    }

    @Test func maxPoolWithStrideAndStandalonePadding() throws {
        let (h, w, c) = (5, 5, 3)
        let x = pseudoRandom(h * w * c, seed: 8).map { abs($0) }
        // ResNet50's stem: ZeroPadding2D(1) then MaxPooling2D(3, strides=2).
        let spec = Self.spec(.image(height: h, width: w, channels: c), [
            ModelNode(.zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)), name: "pad"),
            ModelNode(.maxPool(.init(size: Size2D(3), stride: Size2D(2))), name: "pool")])
        let out = try forwardOutput(spec, batch: 1, input: x)
        let (oh, ow) = (3, 3)
        #expect(out.count == oh * ow * c)
        for oy in 0..<oh { for ox in 0..<ow { for k in 0..<c {
            var best: Float = 0  // the zeros of the padding take part
            for ky in 0..<3 { for kx in 0..<3 {
                let (y, xx) = (oy * 2 + ky - 1, ox * 2 + kx - 1)
                if (0..<h).contains(y) && (0..<w).contains(xx) { best = max(best, x[nhwc(0, y, xx, k, h: h, w: w, c: c)]) }
            } }
            #expect(out[(oy * ow + ox) * c + k] == best)
        } } }
    }

    @Test func addConcatAndGlobalMaxPool() throws {
        let (h, w) = (3, 3)
        let x = pseudoRandom(h * w * 8, seed: 9)
        let a = pseudoRandom(8 * 8, seed: 10), b = pseudoRandom(8 * 8, seed: 11)
        func conv(_ name: String) -> ModelNode {
            ModelNode(.conv2d(.init(filters: 8, kernel: .one, padding: .valid, useBias: false)), name: name, inputs: ["input"])
        }
        let spec = Self.spec(.image(height: h, width: w, channels: 8), [
            conv("a"), conv("b"),
            ModelNode(.add, name: "sum", inputs: ["a", "b"]),
            ModelNode(.concat, name: "cat", inputs: ["sum", "a", "input"]),
            ModelNode(.globalMaxPool, name: "gmp")])
        let out = try forwardOutput(spec, batch: 1, input: x, weights: [NamedTensor(name: "a.kernel", shape: [1, 1, 8, 8], values: a),
                                                                        NamedTensor(name: "b.kernel", shape: [1, 1, 8, 8], values: b)])
        #expect(out.count == 24)
        var expected = [Float](repeating: -.infinity, count: 24)
        for p in 0..<(h * w) {
            for o in 0..<8 {
                var ya: Float = 0, yb: Float = 0
                for i in 0..<8 { ya += x[p * 8 + i] * a[i * 8 + o]; yb += x[p * 8 + i] * b[i * 8 + o] }
                expected[o] = max(expected[o], ya + yb)
                expected[8 + o] = max(expected[8 + o], ya)
                expected[16 + o] = max(expected[16 + o], x[p * 8 + o])
            }
        }
        for i in 0..<24 { #expect(abs(out[i] - expected[i]) < 1e-5, "\(i)") }
    }
}
