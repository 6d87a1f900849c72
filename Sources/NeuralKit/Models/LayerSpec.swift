/// One layer of a model, as written in `model.json`:
/// `{"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same", "activation": "relu"}`,
/// `{"type": "max_pool", "size": 2}`, `{"type": "dropout", "rate": 0.2}`, `{"type": "flatten"}`,
/// `{"type": "global_average_pool"}`, `{"type": "dense", "units": 100, "activation": "leaky_relu",
/// "negative_slope": 0.3}`, `{"type": "activation", "activation": "relu"}`.
public enum LayerSpec: Sendable, Hashable, Codable {
    case conv2d(filters: Int, kernel: Int, stride: Int, padding: Padding, activation: ActivationFunction?)
    case maxPool(size: Int)
    case globalAveragePool
    case dense(units: Int, activation: ActivationFunction?)
    case activation(ActivationFunction)
    case dropout(rate: Double)
    case flatten

    /// The `type` in model files; also the stem of layer names (`conv2d_1`).
    public var type: String {
        switch self {
        case .conv2d: "conv2d"
        case .maxPool: "max_pool"
        case .globalAveragePool: "global_average_pool"
        case .dense: "dense"
        case .activation: "activation"
        case .dropout: "dropout"
        case .flatten: "flatten"
        }
    }

    private enum Key: String, CodingKey {
        case type, filters, kernel, stride, padding, activation, negativeSlope = "negative_slope", size, units, rate
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        func activation() throws -> ActivationFunction? {
            guard let name = try c.decodeIfPresent(String.self, forKey: .activation) else { return nil }
            switch name {
            case "relu": return .relu
            case "leaky_relu": return .leakyReLU(slope: try c.decodeIfPresent(Float.self, forKey: .negativeSlope) ?? 0.3)
            case "linear": return nil
            default:
                throw DecodingError.dataCorruptedError(forKey: .activation, in: c,
                                                       debugDescription: "unknown activation '\(name)' (relu, leaky_relu, linear)")
            }
        }
        switch type {
        case "conv2d":
            self = .conv2d(filters: try c.decode(Int.self, forKey: .filters), kernel: try c.decode(Int.self, forKey: .kernel),
                           stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? 1,
                           padding: try c.decodeIfPresent(Padding.self, forKey: .padding) ?? .valid, activation: try activation())
        case "max_pool": self = .maxPool(size: try c.decode(Int.self, forKey: .size))
        case "global_average_pool": self = .globalAveragePool
        case "dense": self = .dense(units: try c.decode(Int.self, forKey: .units), activation: try activation())
        case "activation":
            guard let function = try activation() else {
                throw DecodingError.dataCorruptedError(forKey: .activation, in: c, debugDescription: "an activation layer needs an activation")
            }
            self = .activation(function)
        case "dropout": self = .dropout(rate: try c.decode(Double.self, forKey: .rate))
        case "flatten": self = .flatten
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c,
                debugDescription: "unknown layer type '\(type)' (conv2d, max_pool, global_average_pool, dense, activation, dropout, flatten)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        func encodeActivation(_ function: ActivationFunction?) throws {
            guard let function else { return }
            try c.encode(function.name, forKey: .activation)
            if case .leakyReLU(let slope) = function { try c.encode(slope, forKey: .negativeSlope) }
        }
        switch self {
        case let .conv2d(filters, kernel, stride, padding, activation):
            try c.encode(filters, forKey: .filters)
            try c.encode(kernel, forKey: .kernel)
            try c.encode(stride, forKey: .stride)
            try c.encode(padding, forKey: .padding)
            try encodeActivation(activation)
        case .maxPool(let size): try c.encode(size, forKey: .size)
        case .dense(let units, let activation):
            try c.encode(units, forKey: .units)
            try encodeActivation(activation)
        case .activation(let function): try encodeActivation(function)
        case .dropout(let rate): try c.encode(rate, forKey: .rate)
        case .globalAveragePool, .flatten: break
        }
    }

    /// The layer object for this spec.
    func makeLayer(name: String) -> Layer {
        switch self {
        case let .conv2d(filters, kernel, stride, padding, activation):
            Conv2D(name: name, filters: filters, kernelSize: kernel, stride: stride, padding: padding, activation: activation)
        case .maxPool(let size): MaxPool2D(name: name, size: size)
        case .globalAveragePool: GlobalAveragePool(name: name)
        case .dense(let units, let activation): Dense(name: name, units: units, activation: activation)
        case .activation(let function): ActivationLayer(name: name, function: function)
        case .dropout(let rate): Dropout(name: name, rate: rate)
        case .flatten: Flatten(name: name)
        }
    }
}
