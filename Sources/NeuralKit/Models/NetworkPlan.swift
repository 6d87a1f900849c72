/// The layers a network runs for a model graph: one per node, except where two nodes run as
/// one with the same results:
/// - a `zero_padding` read only by a `valid` convolution becomes that convolution's padding
///   (Keras' `ZeroPadding2D` before MobileNetV2's and ResNet50's strided convolutions);
/// - a convolution's activation moves into the max pooling that alone reads it (max commutes
///   with any non-decreasing function, and the activation then runs on a quarter of the values).
struct NetworkPlan {
    struct Step {
        /// The node's name (a fused pair runs under the later node's name, so its output is
        /// the pair's).
        var name: String
        var layer: Layer
        /// Indices of earlier steps, or `ModelGraph.modelInput`.
        var inputs: [Int]
        var trainable: Bool
        /// The graph nodes this step computes (two for a fused pair).
        var nodes: [Int]
    }

    let steps: [Step]
    /// For each graph node, the step whose output is that node's output (nil for a node folded
    /// into the next, whose own output never exists).
    let stepOfNode: [Int?]

    init(_ graph: ModelGraph) {
        var steps: [Step] = []
        var stepOfNode = [Int?](repeating: nil, count: graph.nodes.count)
        /// Padding folded forward: node index -> (its input, the padding).
        var pendingPadding: [Int: (input: Int, padding: LayerSpec.EdgePadding)] = [:]
        /// A convolution whose activation a max pool takes over: node index -> activation.
        var movedActivation: [Int: ActivationFunction] = [:]
        func step(of node: Int) -> Int { node == ModelGraph.modelInput ? node : stepOfNode[node]! }
        for (index, node) in graph.nodes.enumerated() {
            let onlyConsumer = graph.consumers[index].count == 1 ? graph.consumers[index][0] : nil
            switch node.layer {
            case .zeroPadding(let padding) where onlyConsumer.map({ Self.takesPadding(graph.nodes[$0].layer) }) ?? false:
                pendingPadding[index] = (node.inputs[0], padding)
                continue
            default: break
            }
            var inputs = node.inputs
            var extra: LayerSpec.EdgePadding?
            if let folded = pendingPadding[inputs[0]] {
                inputs[0] = folded.input
                extra = folded.padding
            }
            let layer: Layer
            switch node.layer {
            case .conv2d(var conv):
                if let consumer = onlyConsumer, conv.activation != nil, case .maxPool(let window) = graph.nodes[consumer].layer,
                   window.stride == window.size, window.padding == .valid {
                    movedActivation[consumer] = conv.activation
                    conv.activation = nil
                }
                layer = Conv2D(name: node.name, filters: conv.filters, kernel: conv.kernel, stride: conv.stride, padding: conv.padding,
                               extraPadding: extra, useBias: conv.useBias, activation: conv.activation)
            case .depthwiseConv2d(let conv):
                layer = Conv2D(name: node.name, filters: 0, kernel: conv.kernel, stride: conv.stride, padding: conv.padding,
                               extraPadding: extra, useBias: conv.useBias, depthwise: true, activation: conv.activation)
            case .maxPool(let window):
                layer = Pooling(name: node.name, kind: .max, window: window, activation: movedActivation[index])
            default:
                layer = node.layer.makeLayer(name: node.name)
            }
            stepOfNode[index] = steps.count
            steps.append(Step(name: node.name, layer: layer, inputs: inputs.map(step(of:)), trainable: node.trainable, nodes: [index]))
        }
        self.steps = steps
        self.stepOfNode = stepOfNode
    }

    /// Whether a zero padding before `layer` can be its own padding.
    private static func takesPadding(_ layer: LayerSpec) -> Bool {
        switch layer {
        case .conv2d(let conv): conv.padding == .valid
        case .depthwiseConv2d(let conv): conv.padding == .valid
        default: false
        }
    }
}

extension LayerSpec {
    /// The layer object for a node that runs alone.
    func makeLayer(name: String) -> Layer {
        switch self {
        case .conv2d(let conv):
            Conv2D(name: name, filters: conv.filters, kernel: conv.kernel, stride: conv.stride, padding: conv.padding,
                   useBias: conv.useBias, activation: conv.activation)
        case .depthwiseConv2d(let conv):
            Conv2D(name: name, filters: 0, kernel: conv.kernel, stride: conv.stride, padding: conv.padding,
                   useBias: conv.useBias, depthwise: true, activation: conv.activation)
        case .batchNorm(let settings): BatchNorm(name: name, settings: settings)
        case .zeroPadding(let padding): ZeroPadding(name: name, padding: padding)
        case .maxPool(let window): Pooling(name: name, kind: .max, window: window)
        case .averagePool(let window): Pooling(name: name, kind: .average, window: window)
        case .globalAveragePool: Pooling(name: name, kind: .average, window: nil)
        case .globalMaxPool: Pooling(name: name, kind: .max, window: nil)
        case .add: Add(name: name)
        case .concat: Concat(name: name)
        case .dense(let units, let activation): Dense(name: name, units: units, activation: activation)
        case .activation(let function): ActivationLayer(name: name, function: function)
        case .dropout(let rate): Dropout(name: name, rate: rate)
        case .flatten: Flatten(name: name)
        }
    }
}
