import CDNNL

/// Tensors of one height and width side by side along the channels (Keras'
/// `Concatenate(axis=-1)`: Inception's branches), on oneDNN's concat primitive. Backward, each
/// input's gradient is its slice of the output gradient, copied out by a reorder.
public final class Concat: Layer {
    public let name: String

    private var inputs: [Memory] = []
    private var step: PrimitiveStep!
    private var gradientSteps: [Reorder] = []
    private var engine: ComputeEngine!

    public init(name: String) { self.name = name }

    public func buildForward(inputs: [Memory], context: LayerContext) throws -> Memory {
        engine = context.engine
        guard inputs.count >= 2, let first = inputs.first, first.dims.count == 4 else {
            throw ModelError.shape("\(name) concatenates two or more images, not \(inputs.map(\.dims))")
        }
        for other in inputs where other.dims.count != 4 || other.dims[0] != first.dims[0] || other.dims[2...] != first.dims[2...] {
            throw ModelError.shape("\(name) concatenates tensors of shapes \(first.dims) and \(other.dims)")
        }
        self.inputs = inputs
        let channels = inputs.reduce(0) { $0 + $1.dims[1] }
        let dims = [first.dims[0], channels, first.dims[2], first.dims[3]]
        let pd = try PrimitiveDescriptor(concatOf: inputs.map(\.descriptor), axis: 1, into: try .any(dims), engine: engine)
        let output = try context.output(pd.descriptor(dnnl_query_dst_md)!)
        step = try PrimitiveStep(pd, inputs: inputs.enumerated().map { .source($0.offset, $0.element) }, outputs: [.dst(output)], engine: engine)
        return output
    }

    public func buildBackward(outputGradient: Memory, inputsNeedingGradient: [Bool], context: LayerContext) throws -> [Memory?] {
        // Slices of a blocked layout exist only at whole blocks; a plain copy has them anywhere.
        var whole = outputGradient
        if !inputs.allSatisfy({ (try? slice(of: whole, channels: 0, count: $0.dims[1])) != nil }) {
            let plain = try Reorder(outputGradient, to: try MemoryDescriptor(dims: outputGradient.dims, tag: dnnl_nchw), engine: engine)
            gradientSteps.append(plain)
            whole = plain.destination
        }
        var offset = 0
        var gradients: [Memory?] = []
        for (input, needed) in zip(inputs, inputsNeedingGradient) {
            defer { offset += input.dims[1] }
            guard needed else {
                gradients.append(nil)
                continue
            }
            let view = try slice(of: whole, channels: offset, count: input.dims[1])
            let gradient = try Memory(input.descriptor, engine: engine)
            gradientSteps.append(try Reorder(view, into: gradient, engine: engine))
            gradients.append(gradient)
        }
        return gradients
    }

    /// A view of `count` channels of `memory` from `channels` on (sharing its buffer).
    private func slice(of memory: Memory, channels: Int, count: Int) throws(DNNLError) -> Memory {
        var dims = memory.dims
        dims[1] = count
        let layout = try memory.descriptor.submemory(dims: dims, offsets: [0, channels, 0, 0])
        return try Memory(view: layout, of: memory, engine: engine)
    }

    public func forward(training: Bool, step: Int) throws { try self.step.run(on: engine) }

    public func backward() throws { for reorder in gradientSteps { try reorder.run(on: engine) } }

    public var implementations: [String] { [step.implementation] }
}
