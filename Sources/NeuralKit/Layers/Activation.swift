import CDNNL

/// An element-wise activation, standalone or fused into the preceding layer.
public enum ActivationFunction: Sendable, Hashable, Codable {
    case relu
    /// Keras' `LeakyReLU(negative_slope)`: x for x > 0, slope * x otherwise.
    case leakyReLU(slope: Float)
    /// Keras' `ReLU(6.)` (MobileNetV2): min(max(x, 0), 6).
    case relu6

    /// The names model files use.
    static let names = "relu, leaky_relu, relu6"

    /// The function a model file names (`negativeSlope` for `leaky_relu`, default 0.3 as Keras').
    init?(name: String, negativeSlope: Float?) {
        switch name {
        case "relu": self = .relu
        case "leaky_relu": self = .leakyReLU(slope: negativeSlope ?? 0.3)
        case "relu6": self = .relu6
        default: return nil
        }
    }

    /// The name in model files.
    public var name: String {
        switch self {
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        case .relu6: "relu6"
        }
    }

    /// oneDNN's algorithm and its alpha and beta, forward.
    var forward: (algorithm: dnnl_alg_kind_t, alpha: Float, beta: Float) {
        switch self {
        case .relu: (dnnl_eltwise_relu, 0, 0)
        case .leakyReLU(let slope): (dnnl_eltwise_relu, slope, 0)
        case .relu6: (dnnl_eltwise_clip_v2, 0, 6)
        }
    }

    /// The algorithm whose backward pass reads the forward output instead of the input: exact
    /// for these functions (ReLU with a positive slope, clip), and it lets a fused activation's
    /// backward run without keeping the pre-activation values.
    var fromOutput: (algorithm: dnnl_alg_kind_t, alpha: Float, beta: Float)? {
        switch self {
        case .relu: (dnnl_eltwise_relu_use_dst_for_bwd, 0, 0)
        case .leakyReLU(let slope): slope >= 0 ? (dnnl_eltwise_relu_use_dst_for_bwd, slope, 0) : nil
        case .relu6: (dnnl_eltwise_clip_v2_use_dst_for_bwd, 0, 6)
        }
    }
}
