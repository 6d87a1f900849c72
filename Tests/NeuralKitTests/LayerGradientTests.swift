import Testing
@testable import NeuralKit

/// Every layer's backward pass against finite differences, in small networks where the layer
/// sits between two weighted layers (so both its input gradient and any weight gradient count).
@Suite struct LayerGradientTests {
    static let image = ModelSpec.InputShape.image(height: 6, width: 6, channels: 3)

    static func conv(_ filters: Int, _ kernel: Int = 3, _ padding: Padding = .same, stride: Int = 1,
                     _ activation: ActivationFunction? = .relu) -> LayerSpec {
        .conv2d(filters: filters, kernel: kernel, stride: stride, padding: padding, activation: activation)
    }

    static let cases: [(String, ModelSpec.InputShape, [LayerSpec])] = [
        ("conv same + relu, conv valid, flatten, dense", image, [conv(4), conv(5, 3, .valid, nil), .flatten, .dense(units: 3, activation: nil)]),
        ("conv 5x5 same, stride 2", image, [conv(4, 5, .same, stride: 2, nil), .flatten, .dense(units: 3, activation: nil)]),
        ("conv with 16 filters (blocked), leaky relu", image, [conv(16, 3, .same, .leakyReLU(slope: 0.3)), conv(16), .flatten, .dense(units: 3, activation: nil)]),
        ("max pool", image, [conv(4), .maxPool(size: 2), conv(4), .flatten, .dense(units: 3, activation: nil)]),
        ("max pool 4 over an odd size", .image(height: 9, width: 9, channels: 3), [conv(8), .maxPool(size: 4), .flatten, .dense(units: 3, activation: nil)]),
        ("global average pool", image, [conv(8), .globalAveragePool, .dense(units: 3, activation: nil)]),
        ("relu and leaky relu layers", image, [conv(4, 3, .same, nil), .activation(.relu), conv(4, 3, .same, nil),
                                              .activation(.leakyReLU(slope: 0.2)), .flatten, .dense(units: 3, activation: nil)]),
        ("dense with leaky relu on features", .features(7), [.dense(units: 6, activation: .leakyReLU(slope: 0.3)),
                                                             .dense(units: 5, activation: .relu), .dense(units: 3, activation: nil)]),
        ("dropout", .features(7), [.dense(units: 12, activation: nil), .dropout(rate: 0.5), .dense(units: 3, activation: nil)]),
        ("dropout on images", image, [conv(4), .dropout(rate: 0.3), .flatten, .dense(units: 3, activation: nil)]),
        // Batch 16 of 16x16x64: large enough for oneDNN to choose Winograd.
        ("Winograd 3x3 convolutions", .image(height: 16, width: 16, channels: 64),
         [conv(64, 3, .valid, nil), conv(64, 3, .same, .leakyReLU(slope: 0.1)), .globalAveragePool, .dense(units: 3, activation: nil)]),
    ]

    /// oneDNN would pick Winograd for an RGB input too, where it is many times slower.
    @Test func rgbConvolutionStaysDirect() throws {
        let spec = ModelSpec(name: "rgb", input: .image(height: 32, width: 32, channels: 3),
                             layers: [Self.conv(32), Self.conv(32), .globalAveragePool, .dense(units: 3, activation: nil)], head: .softmax)
        let network = try Network(spec: spec, batchSize: 16, training: true, engine: try ComputeEngine(threads: 2))
        #expect(!network.layers[0].implementations.contains { $0.contains("wino") }, "\(network.layers[0].implementations)")
        #expect(network.layers[1].implementations.count == 3, "forward, weight gradient, input gradient")
    }

    @Test(arguments: cases.indices)
    func gradientsMatchFiniteDifferences(_ index: Int) throws {
        let (label, input, layers) = Self.cases[index]
        let spec = ModelSpec(name: label, input: input, layers: layers, head: .softmax)
        let outcome = try GradientCheck(spec: spec, batch: label.hasPrefix("Winograd") ? 16 : 2).run()
        // oneDNN 2.6 has float32 Winograd kernels for AVX-512 cores only; elsewhere this case
        // checks the direct kernels that `convolution_auto` falls back to.
        if label.hasPrefix("Winograd") && ComputeEngine.instructionSet.hasPrefix("avx512_core") {
            #expect(outcome.implementations.contains { $0.contains("wino") }, "\(outcome.implementations)")
        }
        #expect(outcome.mismatches.isEmpty, "\(label): \(outcome.mismatches)")
        #expect(outcome.checked >= 4 * outcome.skipped, "\(label): \(outcome.skipped) of \(outcome.checked + outcome.skipped) points at kinks")
        #expect(outcome.checked > 10, "\(label)")
    }

    /// The whole seed-cnn (dropout on, one step's masks; blocked layouts with its real channel
    /// counts; ReLUs moved past the max pools) at the smallest input it takes, 78x78.
    @Test func seedCNNGradientsMatchFiniteDifferencesAlongRandomDirections() throws {
        let spec = ModelArchitecture.seedCNN.spec(input: .image(height: 78, width: 78, channels: 3), classes: 10, head: .softmax)
        let slopes = try DirectionalGradientCheck(spec: spec).run()
        // Stepping every weight of a layer crosses some ReLU and max-pool kinks, which bend
        // a slope by a few percent; a wrong backward pass (a mask or layout mixed up) is off
        // by far more, and for every parameter upstream of it.
        let errors = slopes.map(\.relativeError).sorted()
        #expect(errors[errors.count / 2] < 0.03, "\(slopes)")
        let smooth = slopes.filter { !$0.kinked }
        #expect(smooth.count >= slopes.count / 2, "\(slopes)")
        for slope in smooth { #expect(slope.relativeError < 0.15, "\(slope)") }
    }
}
