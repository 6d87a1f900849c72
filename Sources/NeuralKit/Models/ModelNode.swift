/// One node of a model graph, as written in `model.json`: a layer, the name it goes by (its
/// weights are saved under it) and the nodes it reads.
///
/// The three keys sit in the layer's own object:
/// `{"type": "add", "name": "block_2_add", "inputs": ["block_1_project_BN", "block_2_project_BN"]}`.
/// Without `name`, a node is named as Keras names layers (`conv2d_1`, `dense_2`); without
/// `inputs`, it reads the node before it (the model's input, `input`, for the first), so a
/// sequential model is a plain list of layers and every `model.json` written before graphs
/// existed reads unchanged. `"trainable": false` freezes a node's weights (they are loaded and
/// saved, never updated) and runs its batch normalisation with its moving statistics.
public struct ModelNode: Sendable, Hashable, Codable {
    public var layer: LayerSpec
    /// nil: the generated name.
    public var name: String?
    /// nil: the previous node.
    public var inputs: [String]?
    public var trainable: Bool

    /// The name that refers to the model's input in `inputs`.
    public static let inputName = "input"

    public init(_ layer: LayerSpec, name: String? = nil, inputs: [String]? = nil, trainable: Bool = true) {
        self.layer = layer
        self.name = name
        self.inputs = inputs
        self.trainable = trainable
    }

    private enum Key: String, CodingKey { case name, inputs, trainable }

    public init(from decoder: Decoder) throws {
        layer = try LayerSpec(from: decoder)
        let c = try decoder.container(keyedBy: Key.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        inputs = try c.decodeIfPresent([String].self, forKey: .inputs)
        trainable = try c.decodeIfPresent(Bool.self, forKey: .trainable) ?? true
    }

    public func encode(to encoder: Encoder) throws {
        try layer.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(inputs, forKey: .inputs)
        if !trainable { try c.encode(false, forKey: .trainable) }
    }
}
