/// A network's architecture as stored in `model.json`: its input, its layers in order and its
/// head. The last layer is the dense layer producing one logit per class.
public struct ModelSpec: Sendable, Hashable, Codable {
    /// `seed-cnn`, `small-cnn`, `mlp`, or a user's name.
    public var name: String
    public var input: InputShape
    public var layers: [LayerSpec]
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

    public init(name: String, input: InputShape, layers: [LayerSpec], head: Head) {
        self.name = name
        self.input = input
        self.layers = layers
        self.head = head
    }

    /// The number of outputs (the last dense layer's units).
    public var outputCount: Int? {
        guard case .dense(let units, _)? = layers.last else { return nil }
        return units
    }

    /// Layer names as Keras would give them: the type and a 1-based count per type.
    public var layerNames: [String] {
        var counts: [String: Int] = [:]
        return layers.map { spec in
            counts[spec.type, default: 0] += 1
            return "\(spec.type)_\(counts[spec.type]!)"
        }
    }
}
