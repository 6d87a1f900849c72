import DatasetKit

/// A trainable tensor: a stored tensor that, in a network built for training with the layer
/// not frozen, also has a gradient (in the value's layout) that the backward pass writes.
public final class Parameter: StoredTensor, @unchecked Sendable {
    /// dLoss/dValue of the last backward pass, in `value`'s layout; nil when the parameter is
    /// not trained (an inference network, or a frozen layer).
    public let gradient: Memory?

    init(name: String, layout: MemoryDescriptor, plainLayout: MemoryDescriptor, savedShape: [Int], trainable: Bool,
         engine: ComputeEngine) throws(DNNLError) {
        gradient = trainable ? try Memory(layout, engine: engine) : nil
        try super.init(name: name, layout: layout, plainLayout: plainLayout, savedShape: savedShape, engine: engine)
    }

    /// A per-channel trainable vector (bias, gamma, beta).
    convenience init(vector name: String, count: Int, trainable: Bool, engine: ComputeEngine) throws(DNNLError) {
        let layout = try MemoryDescriptor(dims: [count], tag: dnnl_x)
        try self.init(name: name, layout: layout, plainLayout: layout, savedShape: [count], trainable: trainable, engine: engine)
    }

    /// Whether the optimizer updates it.
    public var isTrainable: Bool { gradient != nil }

    /// The gradient in the saved layout.
    public func plainGradient() throws(DNNLError) -> [Float] {
        guard let gradient else { preconditionFailure("\(name) is not trained: it has no gradient") }
        return try plainCopy(of: gradient)
    }

    /// Keras' `glorot_uniform`: uniform in ±sqrt(6 / (fanIn + fanOut)), drawn in the saved order
    /// from the seed and the parameter's name, so it does not depend on the layout.
    func initializeGlorotUniform(fanIn: Int, fanOut: Int, seed: UInt64) throws(DNNLError) {
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        var generator = SeededGenerator(seed: seed, item: "init/" + name)
        try setPlainValues((0..<count).map { _ in Float(generator.uniform(-limit...limit)) })
    }
}

import CDNNL
