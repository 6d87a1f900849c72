import CDNNL

/// The backward pass of a layer with a kernel and a bias (`Conv2D`, `Dense`): the output
/// gradient brought into the output's layout, the fused activation's backward in place, the
/// kernel and bias gradients (overwritten, never accumulated), and the input gradient when the
/// layer below needs one. The two layers differ only in their oneDNN operation descriptors,
/// which they pass in.
struct WeightedBackward {
    /// The layouts an operation descriptor is made for (oneDNN's raw descriptors, as its
    /// `*_desc_init` functions take them).
    typealias WeightsOperation = (_ source: inout dnnl_memory_desc_t, _ weights: inout dnnl_memory_desc_t,
                                  _ bias: inout dnnl_memory_desc_t, _ outputGradient: inout dnnl_memory_desc_t) throws -> PrimitiveDescriptor
    typealias DataOperation = (_ inputGradient: inout dnnl_memory_desc_t, _ outputGradient: inout dnnl_memory_desc_t) throws -> PrimitiveDescriptor

    private let gradientReorder: Reorder?
    private let activationBackward: BoundPrimitive?
    private let weightsStep: PrimitiveStep
    private let dataStep: PrimitiveStep?
    /// dLoss/dInput after `run`, in `inputGradientLayout`; nil when not wanted.
    let inputGradient: Memory?

    /// `forward` is the layer's forward step (its source is what the weight gradient reads),
    /// `output` its output; the input gradient is written in `inputGradientLayout` (nil: none).
    init(outputGradient: Memory, output: Memory, activation: ActivationFunction?, forward: PrimitiveStep,
         kernel: Parameter, bias: Parameter, inputGradientLayout: MemoryDescriptor?, engine: ComputeEngine,
         weightsOperation: WeightsOperation, dataOperation: DataOperation) throws {
        let (gradient, reorder) = try Reorder.adapting(outputGradient, to: output.descriptor, engine: engine)
        gradientReorder = reorder
        activationBackward = try activation.map { function throws in
            try FusedActivation(function: function).backward(output: output, gradient: gradient, engine: engine)
        }
        let source = forward.memory(DNNL_ARG_SRC)!
        var src = source.descriptor.raw, diffDst = output.descriptor.raw
        var diffWeights = kernel.value.descriptor.raw, diffBias = bias.value.descriptor.raw
        weightsStep = try PrimitiveStep(try weightsOperation(&src, &diffWeights, &diffBias, &diffDst),
                                        inputs: [.src(source), .diffDst(gradient)],
                                        outputs: [.diffWeights(kernel.gradient), .diffBias(bias.gradient)], engine: engine)
        guard let inputGradientLayout else {
            (dataStep, inputGradient) = (nil, nil)
            return
        }
        let inputGradient = try Memory(inputGradientLayout, engine: engine)
        var diffSrc = inputGradientLayout.raw
        dataStep = try PrimitiveStep(try dataOperation(&diffSrc, &diffDst), inputs: [.diffDst(gradient), .weights(kernel.value)],
                                     outputs: [.diffSrc(inputGradient)], engine: engine)
        self.inputGradient = inputGradient
    }

    func run(on engine: ComputeEngine) throws {
        try gradientReorder?.run(on: engine)
        try activationBackward?.run(on: engine)
        try weightsStep.run(on: engine)
        try dataStep?.run(on: engine)
    }

    var implementations: [String] { [weightsStep, dataStep].compactMap { $0?.implementation } }
}
