import CDNNL

/// An element-wise activation, standalone or fused into the preceding convolution or dense layer.
public enum ActivationFunction: Sendable, Hashable, Codable {
    case relu
    /// Keras' `LeakyReLU(negative_slope)`: x for x > 0, slope * x otherwise.
    case leakyReLU(slope: Float)

    /// oneDNN's relu takes the negative slope as alpha.
    var alpha: Float {
        switch self {
        case .relu: 0
        case .leakyReLU(let slope): slope
        }
    }

    /// The name in model files (`relu`, `leaky_relu`).
    public var name: String {
        switch self {
        case .relu: "relu"
        case .leakyReLU: "leaky_relu"
        }
    }
}
