import CDNNL

/// A 2-D convolution (Keras' `Conv2D`, or with `depthwise` its `DepthwiseConv2D` with depth
/// multiplier 1: one kernel per channel, oneDNN's grouped convolution with a group per
/// channel), with an optional bias and fused activation, on oneDNN's direct convolution in its
/// blocked layouts. `extraPadding` holds the zeros of a Keras `ZeroPadding2D` folded into it
/// (the asymmetric padding before MobileNetV2's strided convolutions).
///
/// In an inference network a convolution can also take over the layers after it: a batch
/// normalisation (`fold`: folded into the kernel and bias, `w * gamma / sqrt(var + eps)`, from
/// the layer's own saved tensors whenever they change) and a residual `Add` (`addsInput`: a
/// second input added to the output by oneDNN's sum post-op, which adds what the output memory
/// holds: the convolution writes into the second input's memory itself when nothing reads that
/// afterwards (`addendIsFree`), else into a copy of it) before the activation.
public final class Conv2D: UnaryLayer {
    public let name: String
    /// Output channels (for a depthwise convolution, the input's).
    public private(set) var filters: Int
    public let kernel: Size2D
    public let stride: Size2D
    public let padding: Padding
    public let extraPadding: LayerSpec.EdgePadding?
    public let useBias: Bool
    public let depthwise: Bool
    public let activation: ActivationFunction?
    /// A batch normalisation run as part of this convolution (inference only).
    public let fold: (name: String, settings: LayerSpec.BatchNormSettings)?
    /// Whether a second input is added to the output (inference only).
    public let addsInput: Bool
    /// Whether no layer after this one reads the second input, so it may be overwritten.
    public let addendIsFree: Bool
    /// Whether an inference network may run it as Winograd (see `forwardDescriptor`).
    public let mayUseWinograd: Bool
    /// Copies the second input into the output before the convolution adds to it.
    private var addendCopy: Reorder?
    public private(set) var parameters: [Parameter] = []
    public private(set) var state: [StoredTensor] = []
    /// The folded batch normalisation's tensors and the kernel and bias the primitive runs with.
    private var folded: FoldedNormalization?

    private var kernelTensor: Parameter!
    private var bias: Parameter?
    private var input: Memory!
    private var output: Memory!
    private var forwardPD: PrimitiveDescriptor!
    private var forwardStep: PrimitiveStep!
    private var geometry: (strides: [Int64], before: [Int64], after: [Int64])!
    private var backwardPass: WeightedBackward?
    /// Direct convolution, or oneDNN's choice between direct and Winograd: for 3x3 stride-1
    /// layers with enough channels it picks Winograd F(4x4, 3x3), which needs 2-3x fewer
    /// multiplications forward and backward (at float32 rounding a little above the direct
    /// method's). Set per input by `forwardDescriptor`.
    private var algorithm = dnnl_convolution_auto

    /// Input channels below which a layer stays direct. oneDNN 2.6 also picks Winograd for a
    /// 3-channel image, where its transforms cost more than they save: a 128x128 RGB batch
    /// took 20-40x longer forward and backward than the direct kernel.
    static let winogradMinimumChannels = 16

    /// The largest scratchpad an inference layer may take to run as Winograd.
    static let winogradScratchpadLimit = 96 << 20

    public init(name: String, filters: Int, kernel: Size2D, stride: Size2D = .one, padding: Padding,
                extraPadding: LayerSpec.EdgePadding? = nil, useBias: Bool = true, depthwise: Bool = false,
                activation: ActivationFunction?, fold: (name: String, settings: LayerSpec.BatchNormSettings)? = nil,
                addsInput: Bool = false, addendIsFree: Bool = false, mayUseWinograd: Bool = false) {
        self.mayUseWinograd = mayUseWinograd
        self.fold = fold
        self.addsInput = addsInput
        self.addendIsFree = addendIsFree
        self.name = name
        self.filters = filters
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.extraPadding = extraPadding
        self.useBias = useBias
        self.depthwise = depthwise
        self.activation = activation
    }

    /// A square convolution with bias (the built-in networks' layers).
    public convenience init(name: String, filters: Int, kernelSize: Int, stride: Int = 1, padding: Padding, activation: ActivationFunction?) {
        self.init(name: name, filters: filters, kernel: Size2D(kernelSize), stride: Size2D(stride), padding: padding, activation: activation)
    }

    public func preferredInputLayout(dims: [Int], context: LayerContext) throws -> MemoryDescriptor? {
        try forwardDescriptor(dims: dims, context: context).descriptor(dnnl_query_src_md)
    }

    /// oneDNN's logical weight dims: `(O, I, kh, kw)`, or `(C, 1, 1, kh, kw)` grouped.
    private func weightDims(channels c: Int) -> [Int] {
        depthwise ? [c, 1, 1, kernel.height, kernel.width] : [filters, c, kernel.height, kernel.width]
    }

    private func forwardDescriptor(dims: [Int], context: LayerContext, addend: MemoryDescriptor? = nil) throws -> PrimitiveDescriptor {
        // With a residual add, ask for the output in the addend's layout (so the convolution can
        // write into it); any layout if no implementation takes that one.
        if let addend, let exact = try? forwardDescriptor(dims: dims, context: context, sum: true, output: addend) { return exact }
        return try forwardDescriptor(dims: dims, context: context, sum: addend != nil, output: nil)
    }

    private func forwardDescriptor(dims: [Int], context: LayerContext, sum: Bool, output: MemoryDescriptor?) throws -> PrimitiveDescriptor {
        guard dims.count == 4 else { throw ModelError.shape("\(name) needs an image input, got shape \(dims)") }
        let (n, c, h, w) = (dims[0], dims[1], dims[2], dims[3])
        if depthwise { filters = c }
        let extra = extraPadding ?? LayerSpec.EdgePadding(top: 0, bottom: 0, left: 0, right: 0)
        let rows = padding.window(input: h + extra.top + extra.bottom, kernel: kernel.height, stride: stride.height)
        let cols = padding.window(input: w + extra.left + extra.right, kernel: kernel.width, stride: stride.width)
        guard rows.output > 0, cols.output > 0 else {
            throw ModelError.shape("\(name): a \(kernel) \(padding.rawValue) convolution does not fit a \(h)x\(w) input")
        }
        geometry = ([Int64(stride.height), Int64(stride.width)],
                    [Int64(rows.before + extra.top), Int64(cols.before + extra.left)],
                    [Int64(rows.after + extra.bottom), Int64(cols.after + extra.right)])
        let geometry = geometry!
        var postOps: [PrimitiveAttributes.PostOp] = sum ? [.sum] : []
        if let f = activation?.forward { postOps.append(.eltwise(f.algorithm, alpha: f.alpha, beta: f.beta)) }
        let kind = context.training ? dnnl_forward_training : dnnl_forward_inference
        func descriptor(_ algorithm: dnnl_alg_kind_t) throws -> PrimitiveDescriptor {
            var src = try MemoryDescriptor.any(dims).raw
            var weights = try MemoryDescriptor.any(weightDims(channels: c)).raw
            var biasRaw = try MemoryDescriptor(dims: [filters], tag: dnnl_x).raw
            var dst = try output?.raw ?? MemoryDescriptor.any([n, filters, rows.output, cols.output]).raw
            var op = dnnl_convolution_desc_t()
            let status = useBias || fold != nil
                ? dnnl_convolution_forward_desc_init(&op, kind, algorithm, &src, &weights, &biasRaw, &dst, geometry.strides, geometry.before, geometry.after)
                : dnnl_convolution_forward_desc_init(&op, kind, algorithm, &src, &weights, nil, &dst, geometry.strides, geometry.before, geometry.after)
            try check(status, "\(name) descriptor")
            return try PrimitiveDescriptor(op, engine: context.engine, attributes: postOps.isEmpty ? nil : try PrimitiveAttributes(postOps: postOps),
                                           what: "\(name) forward")
        }
        algorithm = c >= Self.winogradMinimumChannels && !depthwise ? dnnl_convolution_auto : dnnl_convolution_direct
        // For inference oneDNN's `auto` keeps ResNet50's and Inception's 3x3 layers direct, yet
        // its Winograd F(4x4, 3x3) kernel (AVX-512 only) runs ResNet50 26% faster here, within
        // the Keras parity bound; where it is missing the descriptor fails and `auto` stays. Its
        // transformed tiles need a scratchpad of about 9x the input: at VGG16's 224x224x64 and
        // batch 32 over 1 GB, so larger layers stay direct.
        // Only where the saved kernel is kept plain beside the primitive's (a folded batch
        // normalisation): oneDNN reorders into its Winograd layout but not back out of it; and
        // not before a concatenation, which then meets layouts it has only reference code for.
        if !context.training, mayUseWinograd, fold != nil, algorithm == dnnl_convolution_auto, kernel == Size2D(3), stride == .one,
           let winograd = try? descriptor(dnnl_convolution_winograd), winograd.implementation.contains("wino"),
           (winograd.descriptor(dnnl_query_scratchpad_md)?.byteCount ?? 0) <= Self.winogradScratchpadLimit {
            algorithm = dnnl_convolution_winograd
            return winograd
        }
        return try descriptor(algorithm)
    }

    public func buildForward(inputs: [Memory], context: LayerContext) throws -> Memory {
        guard inputs.count == (addsInput ? 2 : 1) else { throw ModelError.shape("\(name) reads \(addsInput ? 2 : 1) inputs, not \(inputs.count)") }
        guard !context.training || (fold == nil && !addsInput) else {
            preconditionFailure("\(name): folded batch normalisation and residual adds are for inference networks")
        }
        return try build(input: inputs[0], addend: addsInput ? inputs[1] : nil, context: context)
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        try buildForward(inputs: [input], context: context)
    }

    private func build(input: Memory, addend: Memory?, context: LayerContext) throws -> Memory {
        let engine = context.engine
        let dims = input.dims
        let pd = try forwardDescriptor(dims: dims, context: context, addend: addend?.descriptor)
        let c = dims[1]
        forwardPD = pd
        let (kh, kw) = (kernel.height, kernel.width)
        let plain = try MemoryDescriptor(dims: weightDims(channels: c), tag: depthwise ? dnnl_hwigo : dnnl_hwio)
        let saved = depthwise ? [kh, kw, c, 1] : [kh, kw, c, filters]
        let kernelName = name + (depthwise ? ".depthwise_kernel" : ".kernel")
        let weightsLayout = pd.descriptor(dnnl_query_weights_md)!
        let biasLayout = try MemoryDescriptor(dims: [filters], tag: dnnl_x)
        // Folded, the saved kernel is kept plain and the primitive runs a folded copy.
        kernelTensor = try Parameter(name: kernelName, layout: fold == nil ? weightsLayout : plain,
                                     plainLayout: plain, savedShape: saved, trainable: context.trainable, engine: engine)
        parameters = [kernelTensor]
        // Keras' glorot_uniform fans: receptive field times input and output channels (for a
        // depthwise kernel, one input and one output channel per kernel).
        let fanIn = kh * kw * (depthwise ? 1 : c), fanOut = kh * kw * (depthwise ? 1 : filters)
        if context.initializeWeights { try kernelTensor.initializeGlorotUniform(fanIn: fanIn, fanOut: fanOut, seed: context.seed) }
        if useBias {
            let bias = try Parameter(name: name + ".bias", layout: fold == nil ? (pd.descriptor(dnnl_query_weights_md, index: 1) ?? biasLayout) : biasLayout,
                                     plainLayout: biasLayout, savedShape: [filters], trainable: context.trainable, engine: engine)
            self.bias = bias
            parameters.append(bias)
        }
        var inputs: [PrimitiveArgument] = [.src(input)]
        if let fold {
            let folding = try FoldedNormalization(name: fold.name, settings: fold.settings, channels: filters, kernel: kernelTensor, bias: bias,
                                                  kernelLayout: weightsLayout, engine: engine)
            folded = folding
            parameters += folding.parameters
            state = folding.state
            inputs += [.weights(folding.kernel), .bias(folding.bias)]
        } else {
            inputs.append(.weights(kernelTensor.value))
            if let bias { inputs.append(.bias(bias.value)) }
        }
        let outputLayout = pd.descriptor(dnnl_query_dst_md)!
        let output: Memory
        if let addend, addendIsFree, addend.descriptor == outputLayout, context.arena?.holds(addend) ?? false {
            output = addend
        } else {
            output = try context.output(outputLayout)
            if let addend { addendCopy = try Reorder(addend, into: output, engine: engine) }
        }
        forwardStep = try PrimitiveStep(pd, inputs: inputs, outputs: [.dst(output)], engine: engine)
        self.input = input
        self.output = output
        return output
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        let (name, algorithm, geometry, forwardPD, engine) = (name, algorithm, geometry!, forwardPD!, context.engine)
        guard needsInputGradient || kernelTensor.isTrainable else { return nil }
        let kernelDims = kernelTensor.value.dims
        let pass = try WeightedBackward(
            outputGradient: outputGradient, output: output, activation: activation, forward: forwardStep,
            kernel: kernelTensor, bias: bias, inputGradientLayout: needsInputGradient ? input.descriptor : nil, engine: engine,
            weightsOperation: { src, diffWeights, diffBias, diffDst in
                var op = dnnl_convolution_desc_t()
                try check(dnnl_convolution_backward_weights_desc_init(&op, algorithm, &src, &diffWeights, diffBias, &diffDst,
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
        backwardPass = pass
        return pass.inputGradient
    }

    public func forward(training: Bool, step: Int) throws {
        try folded?.update()
        try addendCopy?.run(on: kernelTensor.engine)
        try forwardStep.run(on: kernelTensor.engine)
    }

    public func backward() throws { try backwardPass?.run(on: kernelTensor.engine) }

    public var implementations: [String] { [forwardStep.implementation] + (backwardPass?.implementations ?? []) }
}
