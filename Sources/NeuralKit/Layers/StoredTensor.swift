import DatasetKit

/// A tensor a model file saves: its value in the layout the layer's primitives use, and the
/// plain layout it is saved in. Trainable weights are `Parameter`s; layer state that is saved
/// but never trained (batch normalisation's moving mean and variance) is a bare `StoredTensor`.
///
/// Saved layouts follow Keras, so a model file reads like a Keras model's weights: convolution
/// kernels `(kh, kw, in, out)`, depthwise kernels `(kh, kw, channels, 1)`, dense kernels
/// `(in, out)` (after a flatten, `in` runs over height, width, channel, as Keras' `Flatten` of
/// NHWC), biases and per-channel vectors `(channels)`.
public class StoredTensor: @unchecked Sendable {
    /// `<layer>.<weight>`: `conv2d_1.kernel`, `bn_Conv1.moving_mean`.
    public let name: String
    public let value: Memory
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
    }

    /// A per-channel vector (bias, batch-norm statistics) of `count` values.
    convenience init(vector name: String, count: Int, engine: ComputeEngine) throws(DNNLError) {
        let layout = try MemoryDescriptor(dims: [count], tag: dnnl_x)
        try self.init(name: name, layout: layout, plainLayout: layout, savedShape: [count], engine: engine)
    }

    /// Elements (padding excluded).
    public var count: Int { plainLayout.elementCount }

    /// The values in the saved layout.
    public func plainValues() throws(DNNLError) -> [Float] { try plainCopy(of: value) }

    /// Counts `setPlainValues` calls, for layers that derive other values from this tensor (a
    /// batch normalisation folded into a convolution).
    private(set) var revision = 0

    /// Sets the values from the saved layout.
    public func setPlainValues(_ values: [Float]) throws(DNNLError) {
        try setFromPlain(values, into: value)
        revision &+= 1
    }

    /// `memory` (in this tensor's layout, e.g. an optimizer slot) in the saved layout.
    func plainCopy(of memory: Memory) throws(DNNLError) -> [Float] {
        if memory.descriptor == plainLayout { return Array(UnsafeBufferPointer(start: memory.floats, count: count)) }
        let plain = try Memory(plainLayout, engine: engine)
        engine.useThreads()
        try Reorder(memory, into: plain, engine: engine).run(on: engine)
        try engine.wait()
        return Array(UnsafeBufferPointer(start: plain.floats, count: count))
    }

    /// Fills `memory` (in this tensor's layout) from values in the saved layout.
    func setFromPlain(_ values: [Float], into memory: Memory) throws(DNNLError) {
        precondition(values.count == count, "\(name) holds \(count) values, got \(values.count)")
        if memory.descriptor == plainLayout {
            values.withUnsafeBufferPointer { memory.floats.update(from: $0.baseAddress!, count: count) }
            return
        }
        let plain = try Memory(plainLayout, engine: engine)
        values.withUnsafeBufferPointer { plain.floats.update(from: $0.baseAddress!, count: count) }
        engine.useThreads()
        try Reorder(plain, into: memory, engine: engine).run(on: engine)
        try engine.wait()
    }

    /// Every value set to `value` (batch normalisation's initial gamma and variance: 1).
    func fill(_ value: Float) throws(DNNLError) { try setPlainValues([Float](repeating: value, count: count)) }

    /// The saved form, by name.
    func exported() throws(DNNLError) -> NamedTensor { NamedTensor(name: name, shape: savedShape, values: try plainValues()) }
}

import CDNNL
