/// A model's nodes resolved: names given, each input an index of an earlier node (or the
/// model's input), and who reads each node. Built by `ModelSpec.validate`'s checks' first step
/// and by `Network`; a spec whose references do not resolve is refused with the node named.
public struct ModelGraph: Sendable {
    public struct Node: Sendable {
        public var name: String
        public var layer: LayerSpec
        /// Indices of the nodes read, in order; `ModelGraph.modelInput` for the model's input.
        public var inputs: [Int]
        public var trainable: Bool
    }

    /// The index that stands for the model's input.
    public static let modelInput = -1

    public let nodes: [Node]
    /// For each node, the nodes that read it (in order, a node once per input it takes it as).
    public let consumers: [[Int]]
    /// The nodes that read the model's input.
    public let inputConsumers: [Int]

    public init(_ spec: ModelSpec) throws(ModelError) {
        let names = spec.layerNames
        var index: [String: Int] = [:]
        var nodes: [Node] = []
        for (i, (node, name)) in zip(spec.layers, names).enumerated() {
            let field = "layers[\(i)] (\(name))"
            guard name != ModelNode.inputName, !name.isEmpty, name.utf8.count <= 256 else {
                throw .shape("\(field): '\(name)' cannot name a layer")
            }
            guard index[name] == nil else { throw .shape("\(field): the name '\(name)' is taken by layers[\(index[name]!)]") }
            let inputs: [Int]
            if let named = node.inputs {
                inputs = try named.map { reference throws(ModelError) in
                    if reference == ModelNode.inputName { return Self.modelInput }
                    guard let j = index[reference] else {
                        throw .shape("\(field).inputs names '\(reference)', which is not a layer before it")
                    }
                    return j
                }
            } else {
                inputs = [i - 1]
            }
            if node.layer.takesSeveralInputs {
                guard inputs.count >= 2 else { throw .shape("\(field) is \(node.layer.type), which reads two or more inputs; it has \(inputs.count)") }
            } else if inputs.count != 1 {
                throw .shape("\(field) is \(node.layer.type), which reads one input; it has \(inputs.count)")
            }
            index[name] = i
            nodes.append(Node(name: name, layer: node.layer, inputs: inputs, trainable: node.trainable))
        }
        var consumers = [[Int]](repeating: [], count: nodes.count)
        var inputConsumers: [Int] = []
        for (i, node) in nodes.enumerated() {
            for j in node.inputs { if j == Self.modelInput { inputConsumers.append(i) } else { consumers[j].append(i) } }
        }
        self.nodes = nodes
        self.consumers = consumers
        self.inputConsumers = inputConsumers
    }

    /// The index of the node called `name`.
    public func index(of name: String) -> Int? { nodes.firstIndex { $0.name == name } }
}
