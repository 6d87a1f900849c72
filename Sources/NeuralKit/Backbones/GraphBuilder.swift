/// Builds a model graph node by node, as Keras' functional API does: each call adds a layer
/// reading named nodes and returns the new node's name. Unnamed layers get Keras 3's automatic
/// names, counted per kind in this graph (`conv2d`, `conv2d_1`, ...), which is what a fresh
/// Keras process gives the first model it builds.
struct GraphBuilder {
    private(set) var nodes: [ModelNode] = []
    private var counts: [String: Int] = [:]

    /// Keras' automatic name for the next layer of `kind` (`conv2d`, `batch_normalization`).
    mutating func automaticName(_ kind: String) -> String {
        let count = counts[kind, default: 0]
        counts[kind] = count + 1
        return count == 0 ? kind : "\(kind)_\(count)"
    }

    /// Adds `layer` named `name` reading `inputs`; returns `name`.
    @discardableResult
    mutating func add(_ layer: LayerSpec, _ name: String, _ inputs: String...) -> String {
        nodes.append(ModelNode(layer, name: name, inputs: inputs))
        return name
    }

    /// Adds `layer` reading `inputs` (two or more).
    @discardableResult
    mutating func add(_ layer: LayerSpec, _ name: String, inputs: [String]) -> String {
        nodes.append(ModelNode(layer, name: name, inputs: inputs))
        return name
    }
}

extension LayerSpec {
    /// Keras' `Conv2D` with a square or rectangular kernel.
    static func conv(_ filters: Int, _ kernel: Size2D, stride: Int = 1, padding: Padding, bias: Bool = true,
                     activation: ActivationFunction? = nil) -> LayerSpec {
        .conv2d(Convolution(filters: filters, kernel: kernel, stride: Size2D(stride), padding: padding, useBias: bias, activation: activation))
    }

    /// Keras' `BatchNormalization` with the given epsilon and momentum.
    static func batchNorm(epsilon: Double, momentum: Double = 0.99, scale: Bool = true) -> LayerSpec {
        .batchNorm(BatchNormSettings(epsilon: epsilon, momentum: momentum, scale: scale))
    }
}
