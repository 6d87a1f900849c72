/// How a convolution treats the border, with Keras' meanings.
public enum Padding: String, Sendable, Hashable, Codable {
    /// No padding: the output shrinks by `kernel - 1` (then divides by the stride).
    case valid
    /// Zero padding so the output is `ceil(input / stride)`; an odd total puts the extra pixel
    /// after (right/bottom), as TensorFlow does.
    case same

    /// (before, after, output size) along one axis.
    func window(input: Int, kernel: Int, stride: Int) -> (before: Int, after: Int, output: Int) {
        switch self {
        case .valid:
            return (0, 0, input >= kernel ? (input - kernel) / stride + 1 : 0)
        case .same:
            let output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            return (total / 2, total - total / 2, output)
        }
    }
}
