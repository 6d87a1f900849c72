/// Keras' `Flatten`: free here. The dense layer after it reads the `(N, C, H, W)` tensor in its
/// blocked layout directly, and saves its kernel as `(H * W * C, units)`, the rows in Keras'
/// NHWC flatten order. Anything else after a flatten sees the same memory.
public final class Flatten: UnaryLayer {
    public let name: String

    public init(name: String) { self.name = name }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory { input }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        needsInputGradient ? outputGradient : nil
    }

    public func forward(training: Bool, step: Int) throws {}

    public func backward() throws {}
}
