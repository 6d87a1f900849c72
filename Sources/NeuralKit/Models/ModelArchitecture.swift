/// The built-in networks (`--model`).
public enum ModelArchitecture: String, Sendable, CaseIterable {
    /// The Food-101 tutorial's CNN from scratch.
    case seedCNN = "seed-cnn"
    /// A small, fast CNN for 32-128 px images.
    case smallCNN = "small-cnn"
    /// The transfer-learning tutorial's top model, for feature vectors.
    case mlp
    /// One dense layer with a softmax (or sigmoid) head: logistic regression on feature
    /// vectors, as TensorFlow's retrain.py trains on Inception V3's 2048-d bottlenecks.
    case linear

    /// The spec for `input` and `classes` outputs.
    public func spec(input: ModelSpec.InputShape, classes: Int, head: ModelSpec.Head) -> ModelSpec {
        ModelSpec(name: rawValue, input: input, layers: layers(input: input, classes: classes), head: head)
    }

    private func layers(input: ModelSpec.InputShape, classes: Int) -> [LayerSpec] {
        let relu = ActivationFunction.relu
        func conv(_ filters: Int, _ kernel: Int = 3, _ padding: Padding) -> LayerSpec {
            .conv2d(filters: filters, kernel: kernel, stride: 1, padding: padding, activation: relu)
        }
        switch self {
        case .seedCNN:
            // Conv same, conv valid, pool, dropout; with 32, 64 and 128 filters; then two 5x5
            // convolutions of 512, a 4x4 pool, and a 1024-unit dense layer.
            let blocks = [32, 64, 128].flatMap { filters -> [LayerSpec] in
                [conv(filters, 3, .same), conv(filters, 3, .valid), .maxPool(size: 2), .dropout(rate: 0.2)]
            }
            return blocks + [conv(512, 5, .same), conv(512, 5, .valid), .maxPool(size: 4), .dropout(rate: 0.2),
                             .flatten, .dense(units: 1024, activation: relu), .dropout(rate: 0.2),
                             .dense(units: classes, activation: nil)]
        case .smallCNN:
            // Three convolution blocks, global average pooling, one dense layer: little
            // arithmetic, so it trains fast at 64-128 px.
            let blocks = [32, 64, 128].flatMap { filters -> [LayerSpec] in [conv(filters, 3, .same), .maxPool(size: 2)] }
            return blocks + [.globalAveragePool, .dense(units: classes, activation: nil)]
        case .mlp:
            let leaky = ActivationFunction.leakyReLU(slope: 0.3)
            let flatten: [LayerSpec] = if case .image = input { [.flatten] } else { [] }
            return flatten + [.dense(units: 100, activation: leaky), .dropout(rate: 0.5),
                              .dense(units: 50, activation: leaky), .dropout(rate: 0.3),
                              .dense(units: classes, activation: nil)]
        case .linear:
            let flatten: [LayerSpec] = if case .image = input { [.flatten] } else { [] }
            return flatten + [.dense(units: classes, activation: nil)]
        }
    }
}
