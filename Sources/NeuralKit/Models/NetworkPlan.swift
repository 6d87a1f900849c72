/// The layers a network runs for a model graph: one per node, except where two nodes run as
/// one with the same results:
/// - a `zero_padding` read only by a `valid` convolution becomes that convolution's padding
///   (Keras' `ZeroPadding2D` before MobileNetV2's and ResNet50's strided convolutions);
/// - a convolution's activation moves into the max pooling that alone reads it (max commutes
///   with any non-decreasing function, and the activation then runs on a quarter of the values);
/// - in an inference network, a convolution takes over what alone reads it, in this order: a
///   batch normalisation (folded into its kernel and bias), a residual `add` of two inputs (a
///   binary post-op; the other input must be computed before), and a ReLU or ReLU6 (an eltwise
///   post-op). ResNet50's and MobileNetV2's blocks then run as convolutions only, without the
///   passes over the activations that separate layers make.
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

    init(_ graph: ModelGraph, inference: Bool = false) {
        let chains = inference ? Self.convolutionChains(graph) : [:]
        let absorbed = Set(chains.values.flatMap { [$0.norm, $0.add, $0.activation].compactMap { $0 } })
        var steps: [Step] = []
        var stepOfNode = [Int?](repeating: nil, count: graph.nodes.count)
        /// Padding folded forward: node index -> (its input, the padding).
        var pendingPadding: [Int: (input: Int, padding: LayerSpec.EdgePadding)] = [:]
        /// A convolution whose activation a max pool takes over: node index -> activation.
        var movedActivation: [Int: ActivationFunction] = [:]
        func step(of node: Int) -> Int { node == ModelGraph.modelInput ? node : stepOfNode[node]! }
        for (index, node) in graph.nodes.enumerated() where !absorbed.contains(index) {
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
            var output = index
            if let chain = chains[index] {
                let conv = Self.convolution(node.layer)!
                let fold = chain.norm.map { n -> (String, LayerSpec.BatchNormSettings) in
                    guard case .batchNorm(let settings) = graph.nodes[n].layer else { preconditionFailure() }
                    return (graph.nodes[n].name, settings)
                }
                var activation: ActivationFunction?
                if let a = chain.activation, case .activation(let function) = graph.nodes[a].layer { activation = function }
                var addendIsFree = false
                if let add = chain.add {
                    let addend = graph.nodes[add].inputs.first { $0 != (chain.norm ?? index) }!
                    inputs.append(addend)
                    // Free when every other reader of it has run already.
                    addendIsFree = addend != ModelGraph.modelInput && graph.consumers[addend].allSatisfy { $0 == add || $0 < index }
                }
                layer = Conv2D(name: node.name, filters: conv.filters, kernel: conv.kernel, stride: conv.stride, padding: conv.padding,
                               extraPadding: extra, useBias: conv.useBias, depthwise: conv.depthwise, activation: activation,
                               fold: fold, addsInput: chain.add != nil, addendIsFree: addendIsFree,
                               mayUseWinograd: !graph.consumers[chain.activation ?? chain.add ?? chain.norm ?? index].contains {
                                   if case .concat = graph.nodes[$0].layer { true } else { false }
                               })
                output = chain.activation ?? chain.add ?? chain.norm ?? index
                stepOfNode[output] = steps.count
                steps.append(Step(name: graph.nodes[output].name, layer: layer, inputs: inputs.map(step(of:)), trainable: node.trainable,
                                  nodes: [index] + [chain.norm, chain.add, chain.activation].compactMap { $0 }))
                continue
            }
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

    /// What an inference convolution takes over: the node indices of its batch normalisation,
    /// residual add and activation (each the only reader of the one before), keyed by the
    /// convolution's index.
    struct Chain { var norm: Int?, add: Int?, activation: Int? }

    private static func convolutionChains(_ graph: ModelGraph) -> [Int: Chain] {
        var chains: [Int: Chain] = [:]
        for (index, node) in graph.nodes.enumerated() {
            guard let conv = convolution(node.layer), conv.activation == nil else { continue }
            func onlyReader(of i: Int) -> Int? { graph.consumers[i].count == 1 ? graph.consumers[i][0] : nil }
            var chain = Chain()
            var last = index
            if let next = onlyReader(of: last), case .batchNorm = graph.nodes[next].layer {
                chain.norm = next
                last = next
            }
            if let next = onlyReader(of: last), case .add = graph.nodes[next].layer, graph.nodes[next].inputs.count == 2,
               let other = graph.nodes[next].inputs.first(where: { $0 != last }), other < index {
                chain.add = next
                last = next
            }
            if let next = onlyReader(of: last), case .activation(let function) = graph.nodes[next].layer, function.fromOutput != nil {
                chain.activation = next
            }
            if chain.norm != nil || chain.add != nil || chain.activation != nil { chains[index] = chain }
        }
        return chains
    }

    /// A convolution's settings, for either kind.
    private static func convolution(_ layer: LayerSpec) -> (filters: Int, kernel: Size2D, stride: Size2D, padding: Padding, useBias: Bool,
                                                             depthwise: Bool, activation: ActivationFunction?)? {
        switch layer {
        case .conv2d(let c): (c.filters, c.kernel, c.stride, c.padding, c.useBias, false, c.activation)
        case .depthwiseConv2d(let c): (0, c.kernel, c.stride, c.padding, c.useBias, true, c.activation)
        default: nil
        }
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
