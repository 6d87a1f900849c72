import DatasetKit

/// A trainable tensor: its value and gradient in the layout the layer's primitives use, and
/// the plain layout it is saved in.
///
/// Saved layouts follow Keras, so a model file reads like a Keras model's weights: convolution
/// kernels `(kh, kw, in, out)`, dense kernels `(in, out)` (after a flatten, `in` runs over
/// height, width, channel, as Keras' `Flatten` of NHWC), biases `(out)`.
public final class Parameter: @unchecked Sendable {
    /// `<layer>.kernel` or `<layer>.bias`.
    public let name: String
    public let value: Memory
    /// dLoss/dValue of the last backward pass, in `value`'s layout.
    public let gradient: Memory
    /// The saved layout (logical dims in oneDNN order, physical order as saved).
    let plainLayout: MemoryDescriptor
    /// The saved shape, outermost first.
    public let savedShape: [Int]
    let engine: ComputeEngine

    init(name: String, layout: MemoryDescriptor, plainLayout: MemoryDescriptor, savedShape: [Int],
         engine: ComputeEngine) throws(DNNLError) {
        precondition(plainLayout.elementCount == savedShape.reduce(1, *), "saved shape \(savedShape) of \(name)")
        self.name = name
        self.plainLayout = plainLayout
        self.savedShape = savedShape
        self.engine = engine
        value = try Memory(layout, engine: engine)
        gradient = try Memory(layout, engine: engine)
    }

    /// Elements (padding excluded).
    public var count: Int { plainLayout.elementCount }

    /// The values in the saved layout.
    public func plainValues() throws(DNNLError) -> [Float] { try plainCopy(of: value) }

    /// The gradient in the saved layout.
    public func plainGradient() throws(DNNLError) -> [Float] { try plainCopy(of: gradient) }

    /// Sets the values from the saved layout.
    public func setPlainValues(_ values: [Float]) throws(DNNLError) { try setFromPlain(values, into: value) }

    /// `memory` (in this parameter's layout, e.g. an optimizer slot) in the saved layout.
    func plainCopy(of memory: Memory) throws(DNNLError) -> [Float] {
        let plain = try Memory(plainLayout, engine: engine)
        engine.useThreads()
        try Reorder(memory, into: plain, engine: engine).run(on: engine)
        try engine.wait()
        return Array(UnsafeBufferPointer(start: plain.floats, count: count))
    }

    /// Fills `memory` (in this parameter's layout) from values in the saved layout.
    func setFromPlain(_ values: [Float], into memory: Memory) throws(DNNLError) {
        precondition(values.count == count, "\(name) holds \(count) values, got \(values.count)")
        let plain = try Memory(plainLayout, engine: engine)
        values.withUnsafeBufferPointer { plain.floats.update(from: $0.baseAddress!, count: count) }
        engine.useThreads()
        try Reorder(plain, into: memory, engine: engine).run(on: engine)
        try engine.wait()
    }

    /// Keras' `glorot_uniform`: uniform in ±sqrt(6 / (fanIn + fanOut)), drawn in the saved order
    /// from the seed and the parameter's name, so it does not depend on the layout.
    func initializeGlorotUniform(fanIn: Int, fanOut: Int, seed: UInt64) throws(DNNLError) {
        let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
        var generator = SeededGenerator(seed: seed, item: "init/" + name)
        try setPlainValues((0..<count).map { _ in Float(generator.uniform(-limit...limit)) })
    }
}
