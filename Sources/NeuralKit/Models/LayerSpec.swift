/// One layer of a model, as written in `model.json`, with Keras' meanings:
/// `{"type": "conv2d", "filters": 32, "kernel": 3, "padding": "same", "activation": "relu"}`
/// (`kernel` and `stride` are a number or `[height, width]`; `"use_bias": false`),
/// `{"type": "depthwise_conv2d", "kernel": 3, "stride": 2, "use_bias": false}`,
/// `{"type": "batch_norm", "epsilon": 0.001, "momentum": 0.99}` (`"center"`/`"scale": false`),
/// `{"type": "zero_padding", "padding": [top, bottom, left, right]}`,
/// `{"type": "max_pool", "size": 2}` (`"stride"` defaults to the size, `"padding"` to valid),
/// `{"type": "average_pool", "size": 3, "stride": 1, "padding": "same"}` (`"include_padding": true`
/// divides every window by its full size, as PyTorch's `avg_pool2d` does by default),
/// `{"type": "global_average_pool"}`, `{"type": "global_max_pool"}`, `{"type": "add"}`,
/// `{"type": "concat"}` (channels), `{"type": "dropout", "rate": 0.2}`, `{"type": "flatten"}`,
/// `{"type": "dense", "units": 100, "activation": "leaky_relu", "negative_slope": 0.3}`,
/// `{"type": "activation", "activation": "relu6"}`.
public enum LayerSpec: Sendable, Hashable, Codable {
    case conv2d(Convolution)
    /// Keras' `DepthwiseConv2D` with depth multiplier 1: one kernel per channel.
    case depthwiseConv2d(DepthwiseConvolution)
    case batchNorm(BatchNormSettings)
    /// Keras' `ZeroPadding2D((top, bottom), (left, right))`.
    case zeroPadding(EdgePadding)
    case maxPool(PoolWindow)
    /// Keras' `AveragePooling2D`; with `same` padding the border windows average only the
    /// pixels inside the image, as TensorFlow does, unless the window `includesPadding`.
    case averagePool(PoolWindow)
    case globalAveragePool
    case globalMaxPool
    /// The element-wise sum of its inputs (Keras' `Add`).
    case add
    /// Its inputs side by side along the channels (Keras' `Concatenate(axis=-1)`).
    case concat
    case dense(units: Int, activation: ActivationFunction?)
    case activation(ActivationFunction)
    case dropout(rate: Double)
    case flatten

    /// Keras' `Conv2D`.
    public struct Convolution: Sendable, Hashable {
        public var filters: Int
        public var kernel: Size2D
        public var stride: Size2D
        public var padding: Padding
        public var useBias: Bool
        public var activation: ActivationFunction?

        public init(filters: Int, kernel: Size2D, stride: Size2D = .one, padding: Padding, useBias: Bool = true,
                    activation: ActivationFunction? = nil) {
            (self.filters, self.kernel, self.stride, self.padding, self.useBias, self.activation) =
                (filters, kernel, stride, padding, useBias, activation)
        }
    }

    /// Keras' `DepthwiseConv2D(depth_multiplier=1)`.
    public struct DepthwiseConvolution: Sendable, Hashable {
        public var kernel: Size2D
        public var stride: Size2D
        public var padding: Padding
        public var useBias: Bool
        public var activation: ActivationFunction?

        public init(kernel: Size2D, stride: Size2D = .one, padding: Padding, useBias: Bool = true, activation: ActivationFunction? = nil) {
            (self.kernel, self.stride, self.padding, self.useBias, self.activation) = (kernel, stride, padding, useBias, activation)
        }
    }

    /// Keras' `BatchNormalization` over the channels: `epsilon` added to the variance, moving
    /// statistics updated as `moving = moving * momentum + batch * (1 - momentum)`; without
    /// `scale` there is no gamma (1), without `center` no beta (0).
    public struct BatchNormSettings: Sendable, Hashable {
        public var epsilon: Double
        public var momentum: Double
        public var center: Bool
        public var scale: Bool

        public init(epsilon: Double = 1e-3, momentum: Double = 0.99, center: Bool = true, scale: Bool = true) {
            (self.epsilon, self.momentum, self.center, self.scale) = (epsilon, momentum, center, scale)
        }
    }

    /// Zeros added around an image, per side.
    public struct EdgePadding: Sendable, Hashable {
        public var top: Int, bottom: Int, left: Int, right: Int

        public init(top: Int, bottom: Int, left: Int, right: Int) {
            (self.top, self.bottom, self.left, self.right) = (top, bottom, left, right)
        }
    }

    /// A pooling window: size, stride (Keras' default: the size) and padding.
    public struct PoolWindow: Sendable, Hashable {
        public var size: Size2D
        public var stride: Size2D
        public var padding: Padding
        /// Average pooling only: the zeros of the padding count as pixels, so every window
        /// divides by its full size (PyTorch's `avg_pool2d(..., padding=1)` with its default
        /// `count_include_pad=True`, which timm's and torchvision's Inception V3 use). Keras and
        /// TensorFlow divide by the pixels inside the image (false).
        public var includesPadding: Bool

        public init(size: Size2D, stride: Size2D? = nil, padding: Padding = .valid, includesPadding: Bool = false) {
            (self.size, self.stride, self.padding, self.includesPadding) = (size, stride ?? size, padding, includesPadding)
        }
    }

    /// A convolution with a square kernel and stride, bias and an optional activation (the
    /// built-in networks' layers).
    public static func conv2d(filters: Int, kernel: Int, stride: Int = 1, padding: Padding, activation: ActivationFunction?) -> LayerSpec {
        .conv2d(Convolution(filters: filters, kernel: Size2D(kernel), stride: Size2D(stride), padding: padding, activation: activation))
    }

    /// Max pooling over `size` x `size` windows with stride `size` (Keras' `MaxPooling2D(size)`).
    public static func maxPool(size: Int) -> LayerSpec { .maxPool(PoolWindow(size: Size2D(size))) }

    /// The `type` in model files; also the stem of generated layer names (`conv2d_1`).
    public var type: String {
        switch self {
        case .conv2d: "conv2d"
        case .depthwiseConv2d: "depthwise_conv2d"
        case .batchNorm: "batch_norm"
        case .zeroPadding: "zero_padding"
        case .maxPool: "max_pool"
        case .averagePool: "average_pool"
        case .globalAveragePool: "global_average_pool"
        case .globalMaxPool: "global_max_pool"
        case .add: "add"
        case .concat: "concat"
        case .dense: "dense"
        case .activation: "activation"
        case .dropout: "dropout"
        case .flatten: "flatten"
        }
    }

    /// How many inputs the layer reads: exactly one, or (for `add` and `concat`) two or more.
    public var takesSeveralInputs: Bool {
        switch self {
        case .add, .concat: true
        default: false
        }
    }

    static let typeNames = "conv2d, depthwise_conv2d, batch_norm, zero_padding, max_pool, average_pool, global_average_pool, "
        + "global_max_pool, add, concat, dense, activation, dropout, flatten"

    private enum Key: String, CodingKey {
        case type, filters, kernel, stride, padding, activation, negativeSlope = "negative_slope", size, units, rate
        case useBias = "use_bias", epsilon, momentum, center, scale, includePadding = "include_padding"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        func activation() throws -> ActivationFunction? {
            guard let name = try c.decodeIfPresent(String.self, forKey: .activation) else { return nil }
            if name == "linear" { return nil }
            guard let function = ActivationFunction(name: name, negativeSlope: try c.decodeIfPresent(Float.self, forKey: .negativeSlope)) else {
                throw DecodingError.dataCorruptedError(forKey: .activation, in: c,
                                                       debugDescription: "unknown activation '\(name)' (\(ActivationFunction.names), linear)")
            }
            return function
        }
        func size(_ key: Key) throws -> Size2D? { try c.decodeIfPresent(Size2D.self, forKey: key) }
        func window() throws -> PoolWindow {
            let includesPadding = try c.decodeIfPresent(Bool.self, forKey: .includePadding) ?? false
            // Max pooling never takes the padding; a file that says otherwise means something else.
            if includesPadding && type != "average_pool" {
                throw DecodingError.dataCorruptedError(forKey: .includePadding, in: c, debugDescription: "include_padding applies to average_pool only")
            }
            return PoolWindow(size: try c.decode(Size2D.self, forKey: .size), stride: try size(.stride),
                              padding: try c.decodeIfPresent(Padding.self, forKey: .padding) ?? .valid, includesPadding: includesPadding)
        }
        let useBias = try c.decodeIfPresent(Bool.self, forKey: .useBias) ?? true
        switch type {
        case "conv2d":
            self = .conv2d(Convolution(filters: try c.decode(Int.self, forKey: .filters), kernel: try c.decode(Size2D.self, forKey: .kernel),
                                       stride: try size(.stride) ?? .one, padding: try c.decodeIfPresent(Padding.self, forKey: .padding) ?? .valid,
                                       useBias: useBias, activation: try activation()))
        case "depthwise_conv2d":
            self = .depthwiseConv2d(DepthwiseConvolution(kernel: try c.decode(Size2D.self, forKey: .kernel), stride: try size(.stride) ?? .one,
                                                         padding: try c.decodeIfPresent(Padding.self, forKey: .padding) ?? .valid,
                                                         useBias: useBias, activation: try activation()))
        case "batch_norm":
            self = .batchNorm(BatchNormSettings(epsilon: try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? 1e-3,
                                                momentum: try c.decodeIfPresent(Double.self, forKey: .momentum) ?? 0.99,
                                                center: try c.decodeIfPresent(Bool.self, forKey: .center) ?? true,
                                                scale: try c.decodeIfPresent(Bool.self, forKey: .scale) ?? true))
        case "zero_padding":
            let sides = try c.decode([Int].self, forKey: .padding)
            guard sides.count == 4 else {
                throw DecodingError.dataCorruptedError(forKey: .padding, in: c, debugDescription: "zero_padding takes [top, bottom, left, right]")
            }
            self = .zeroPadding(EdgePadding(top: sides[0], bottom: sides[1], left: sides[2], right: sides[3]))
        case "max_pool": self = .maxPool(try window())
        case "average_pool": self = .averagePool(try window())
        case "global_average_pool": self = .globalAveragePool
        case "global_max_pool": self = .globalMaxPool
        case "add": self = .add
        case "concat": self = .concat
        case "dense": self = .dense(units: try c.decode(Int.self, forKey: .units), activation: try activation())
        case "activation":
            guard let function = try activation() else {
                throw DecodingError.dataCorruptedError(forKey: .activation, in: c, debugDescription: "an activation layer needs an activation")
            }
            self = .activation(function)
        case "dropout": self = .dropout(rate: try c.decode(Double.self, forKey: .rate))
        case "flatten": self = .flatten
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown layer type '\(type)' (\(Self.typeNames))")
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
        /// A convolution's kernel, stride, padding, bias and activation (both kinds).
        func encodeWindow(kernel: Size2D, stride: Size2D, padding: Padding, useBias: Bool, activation: ActivationFunction?) throws {
            try c.encode(kernel, forKey: .kernel)
            try c.encode(stride, forKey: .stride)
            try c.encode(padding, forKey: .padding)
            if !useBias { try c.encode(false, forKey: .useBias) }
            try encodeActivation(activation)
        }
        func encodeWindow(_ w: PoolWindow) throws {
            try c.encode(w.size, forKey: .size)
            if w.stride != w.size { try c.encode(w.stride, forKey: .stride) }
            if w.padding != .valid { try c.encode(w.padding, forKey: .padding) }
            if w.includesPadding { try c.encode(true, forKey: .includePadding) }
        }
        switch self {
        case .conv2d(let conv):
            try c.encode(conv.filters, forKey: .filters)
            try encodeWindow(kernel: conv.kernel, stride: conv.stride, padding: conv.padding, useBias: conv.useBias, activation: conv.activation)
        case .depthwiseConv2d(let conv):
            try encodeWindow(kernel: conv.kernel, stride: conv.stride, padding: conv.padding, useBias: conv.useBias, activation: conv.activation)
        case .batchNorm(let bn):
            try c.encode(bn.epsilon, forKey: .epsilon)
            try c.encode(bn.momentum, forKey: .momentum)
            if !bn.center { try c.encode(false, forKey: .center) }
            if !bn.scale { try c.encode(false, forKey: .scale) }
        case .zeroPadding(let p): try c.encode([p.top, p.bottom, p.left, p.right], forKey: .padding)
        case .maxPool(let w), .averagePool(let w): try encodeWindow(w)
        case .dense(let units, let activation):
            try c.encode(units, forKey: .units)
            try encodeActivation(activation)
        case .activation(let function): try encodeActivation(function)
        case .dropout(let rate): try c.encode(rate, forKey: .rate)
        case .globalAveragePool, .globalMaxPool, .add, .concat, .flatten: break
        }
    }
}

/// A height and a width (kernel, stride or window), written as one number when they are equal
/// and as `[height, width]` otherwise.
public struct Size2D: Sendable, Hashable, Codable, CustomStringConvertible {
    public var height: Int
    public var width: Int

    public init(_ side: Int) { (height, width) = (side, side) }
    public init(height: Int, width: Int) { (self.height, self.width) = (height, width) }

    public static let one = Size2D(1)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let side = try? c.decode(Int.self) {
            self.init(side)
            return
        }
        let pair = try c.decode([Int].self)
        guard pair.count == 2 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a number or [height, width]") }
        self.init(height: pair[0], width: pair[1])
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if height == width { try c.encode(height) } else { try c.encode([height, width]) }
    }

    public var description: String { "\(height)x\(width)" }
}
