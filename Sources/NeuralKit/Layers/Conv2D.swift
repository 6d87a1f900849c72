import CDNNL

/// A 2-D convolution (Keras' `Conv2D`) with bias and an optional fused activation, on oneDNN's
/// direct convolution in its blocked layouts.
public final class Conv2D: Layer {
    public let name: String
    public let filters: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Padding
    public let activation: ActivationFunction?
    public private(set) var parameters: [Parameter] = []

    private var kernel: Parameter!
    private var bias: Parameter!
    private var input: Memory!
    private var output: Memory!
    private var forwardPD: PrimitiveDescriptor!
    private var forwardStep: PrimitiveStep!
    private var geometry: (strides: [Int64], before: [Int64], after: [Int64])!
    private var backwardPass: WeightedBackward!
    /// Direct convolution, or oneDNN's choice between direct and Winograd: for 3x3 stride-1
    /// layers with enough channels it picks Winograd F(4x4, 3x3), which needs 2-3x fewer
    /// multiplications forward and backward (at float32 rounding a little above the direct
    /// method's). Set per input by `forwardDescriptor`.
    private var algorithm = dnnl_convolution_auto

    /// Input channels below which a layer stays direct. oneDNN 2.6 also picks Winograd for a
    /// 3-channel image, where its transforms cost more than they save: a 128x128 RGB batch
    /// took 20-40x longer forward and backward than the direct kernel.
    static let winogradMinimumChannels = 16

    public init(name: String, filters: Int, kernelSize: Int, stride: Int = 1, padding: Padding,
                activation: ActivationFunction?) {
        self.name = name
        self.filters = filters
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    /// The layout oneDNN's convolution wants its input in, for a network to write its input
    /// batch that way (plain NCHW for 3-channel images) rather than reorder it every step.
    func preferredInputLayout(dims: [Int], context: LayerContext) throws -> MemoryDescriptor {
        try forwardDescriptor(dims: dims, context: context).descriptor(dnnl_query_src_md)!
    }

    private func forwardDescriptor(dims: [Int], context: LayerContext) throws -> PrimitiveDescriptor {
        guard dims.count == 4 else { throw ModelError.shape("\(name) needs an image input, got shape \(dims)") }
        let (n, c, h, w) = (dims[0], dims[1], dims[2], dims[3])
        let rows = padding.window(input: h, kernel: kernelSize, stride: stride)
        let cols = padding.window(input: w, kernel: kernelSize, stride: stride)
        guard rows.output > 0, cols.output > 0 else {
            throw ModelError.shape("\(name): a \(kernelSize)x\(kernelSize) \(padding.rawValue) convolution does not fit a \(h)x\(w) input")
        }
        algorithm = c >= Self.winogradMinimumChannels ? dnnl_convolution_auto : dnnl_convolution_direct
        geometry = ([Int64(stride), Int64(stride)], [Int64(rows.before), Int64(cols.before)],
                    [Int64(rows.after), Int64(cols.after)])
        var src = try MemoryDescriptor.any(dims).raw
        var weights = try MemoryDescriptor.any([filters, c, kernelSize, kernelSize]).raw
        let biasLayout = try MemoryDescriptor(dims: [filters], tag: dnnl_x)
        var biasRaw = biasLayout.raw
        var dst = try MemoryDescriptor.any([n, filters, rows.output, cols.output]).raw
        var op = dnnl_convolution_desc_t()
        try check(dnnl_convolution_forward_desc_init(&op, context.training ? dnnl_forward_training : dnnl_forward_inference,
                                                     algorithm, &src, &weights, &biasRaw, &dst,
                                                     geometry.strides, geometry.before, geometry.after), "\(name) descriptor")
        return try PrimitiveDescriptor(op, engine: context.engine,
                                       attributes: try activation.map { a throws(DNNLError) in try FusedActivation(function: a).attributes() },
                                       what: "\(name) forward")
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        let engine = context.engine
        let dims = input.dims
        let pd = try forwardDescriptor(dims: dims, context: context)
        let c = dims[1]
        let biasLayout = try MemoryDescriptor(dims: [filters], tag: dnnl_x)
        forwardPD = pd
        kernel = try Parameter(name: name + ".kernel", layout: pd.descriptor(dnnl_query_weights_md)!,
                               plainLayout: try MemoryDescriptor(dims: [filters, c, kernelSize, kernelSize], tag: dnnl_hwio),
                               savedShape: [kernelSize, kernelSize, c, filters], engine: engine)
        bias = try Parameter(name: name + ".bias", layout: pd.descriptor(dnnl_query_weights_md, index: 1) ?? biasLayout,
                             plainLayout: biasLayout, savedShape: [filters], engine: engine)
        parameters = [kernel, bias]
        try kernel.initializeGlorotUniform(fanIn: kernelSize * kernelSize * c, fanOut: kernelSize * kernelSize * filters,
                                           seed: context.seed)
        let output = try Memory(pd.descriptor(dnnl_query_dst_md)!, engine: engine)
        forwardStep = try PrimitiveStep(pd, inputs: [.src(input), .weights(kernel.value), .bias(bias.value)],
                                        outputs: [.dst(output)], engine: engine)
        self.input = input
        self.output = output
        return output
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        let (name, algorithm, geometry, forwardPD, engine) = (name, algorithm, geometry!, forwardPD!, context.engine)
        let kernelDims = kernel.value.dims
        backwardPass = try WeightedBackward(
            outputGradient: outputGradient, output: output, activation: activation, forward: forwardStep,
            kernel: kernel, bias: bias, inputGradientLayout: needsInputGradient ? input.descriptor : nil, engine: engine,
            weightsOperation: { src, diffWeights, diffBias, diffDst in
                var op = dnnl_convolution_desc_t()
                try check(dnnl_convolution_backward_weights_desc_init(&op, algorithm, &src, &diffWeights, &diffBias, &diffDst,
                                                                      geometry.strides, geometry.before, geometry.after),
                          "\(name) weight-gradient descriptor")
                return try PrimitiveDescriptor(op, engine: engine, hint: forwardPD, what: "\(name) weight gradient")
            },
            dataOperation: { diffSrc, diffDst in
                // The input gradient keeps the activations' layout; the kernel may be wanted in
                // another blocking (oneDNN's JIT backward-data kernels read it transposed) and is
                // then reordered each step, which costs far less than a reference implementation.
                var weights = try MemoryDescriptor.any(kernelDims).raw
                var op = dnnl_convolution_desc_t()
                try check(dnnl_convolution_backward_data_desc_init(&op, algorithm, &diffSrc, &weights, &diffDst,
                                                                   geometry.strides, geometry.before, geometry.after),
                          "\(name) input-gradient descriptor")
                return try PrimitiveDescriptor(op, engine: engine, hint: forwardPD, what: "\(name) input gradient")
            })
        return backwardPass.inputGradient
    }

    public func forward(training: Bool, step: Int) throws {
        try forwardStep.run(on: kernel.engine)
    }

    public func backward() throws { try backwardPass.run(on: kernel.engine) }

    public var implementations: [String] { [forwardStep.implementation] + (backwardPass?.implementations ?? []) }
}
