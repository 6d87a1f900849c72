/// A network's architecture as stored in `model.json`: its input, its nodes (a graph; in order,
/// each reading nodes before it, see `ModelNode`) and its head. The last node is the model's
/// output: for a classifier, the dense layer producing one logit per class.
public struct ModelSpec: Sendable, Hashable, Codable {
    /// `seed-cnn`, `small-cnn`, `mlp`, `vgg16`, or a user's name.
    public var name: String
    public var input: InputShape
    /// Saved under `layers`, as before graphs existed.
    public var layers: [ModelNode]
    public var head: Head

    /// What the network reads.
    public enum InputShape: Sendable, Hashable, Codable {
        /// RGB images (stored NHWC, as the shards hold them).
        case image(height: Int, width: Int, channels: Int)
        /// Feature vectors (e.g. bottleneck features of a pretrained network).
        case features(Int)

        /// oneDNN's dims for a batch: `(N, C, H, W)` or `(N, D)`.
        func dims(batch: Int) -> [Int] {
            switch self {
            case let .image(height, width, channels): [batch, channels, height, width]
            case let .features(count): [batch, count]
            }
        }

        /// Values per example.
        public var valueCount: Int {
            switch self {
            case let .image(height, width, channels): height * width * channels
            case let .features(count): count
            }
        }
    }

    /// How logits become predictions, and the loss that goes with it.
    public enum Head: String, Sendable, Hashable, Codable {
        /// One class per example: softmax and categorical cross-entropy.
        case softmax
        /// Any number of classes: per-class sigmoid and binary cross-entropy.
        case sigmoid
    }

    public init(name: String, input: InputShape, nodes: [ModelNode], head: Head) {
        self.name = name
        self.input = input
        self.layers = nodes
        self.head = head
    }

    /// A sequential model: each layer reads the one before it.
    public init(name: String, input: InputShape, layers: [LayerSpec], head: Head) {
        self.init(name: name, input: input, nodes: layers.map { ModelNode($0) }, head: head)
    }

    /// The number of outputs (the last dense layer's units).
    public var outputCount: Int? {
        guard case .dense(let units, _)? = layers.last?.layer else { return nil }
        return units
    }

    /// Node names: a node's own, or as Keras would give it (the type and a 1-based count per type).
    public var layerNames: [String] {
        var counts: [String: Int] = [:]
        return layers.map { node in
            counts[node.layer.type, default: 0] += 1
            return node.name ?? "\(node.layer.type)_\(counts[node.layer.type]!)"
        }
    }
}
