import CDNNL

/// Zeros around an image (Keras' `ZeroPadding2D`). Networks fold it into the convolution after
/// it; standing alone (before ResNet50's first max pooling) it copies the image into the inside
/// of a zeroed, larger tensor of the same layout, and backward copies the inside back out.
public final class ZeroPadding: UnaryLayer {
    public let name: String
    public let padding: LayerSpec.EdgePadding

    private var input: Memory!
    private var output: Memory!
    private var forwardCopy: Reorder!
    private var backwardSteps: [Reorder] = []
    private var engine: ComputeEngine!

    public init(name: String, padding: LayerSpec.EdgePadding) {
        self.name = name
        self.padding = padding
    }

    private var offsets: [Int] { [0, 0, padding.top, padding.left] }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        engine = context.engine
        let dims = input.dims
        guard dims.count == 4 else { throw ModelError.shape("\(name) needs an image input, got shape \(dims)") }
        let padded = [dims[0], dims[1], dims[2] + padding.top + padding.bottom, dims[3] + padding.left + padding.right]
        let layout = try input.descriptor.sameFormat(dims: padded) ?? MemoryDescriptor(dims: padded, tag: dnnl_nhwc)
        // Allocated zeroed; only the inside is ever written.
        let output = try Memory(layout, engine: engine)
        let inside = try Memory(view: try layout.submemory(dims: dims, offsets: offsets), of: output, engine: engine)
        forwardCopy = try Reorder(input, into: inside, engine: engine)
        self.input = input
        self.output = output
        return output
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        guard needsInputGradient else { return nil }
        let (gradient, reorder) = try Reorder.adapting(outputGradient, to: output.descriptor, engine: engine)
        if let reorder { backwardSteps.append(reorder) }
        let inside = try Memory(view: try gradient.descriptor.submemory(dims: input.dims, offsets: offsets), of: gradient, engine: engine)
        let inputGradient = try Memory(input.descriptor, engine: engine)
        backwardSteps.append(try Reorder(inside, into: inputGradient, engine: engine))
        return inputGradient
    }

    public func forward(training: Bool, step: Int) throws { try forwardCopy.run(on: engine) }

    public func backward() throws { for step in backwardSteps { try step.run(on: engine) } }
}
