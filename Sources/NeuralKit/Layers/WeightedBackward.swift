import CDNNL

/// The backward pass of a layer with a kernel and an optional bias (`Conv2D`, `Dense`): the
/// output gradient brought into the output's layout, the fused activation's backward into a
/// memory of its own, the kernel and bias gradients (overwritten, once per step; skipped for a
/// frozen layer), and the input gradient when the layer below needs one. The layers differ only
/// in their oneDNN operation descriptors, which they pass in.
struct WeightedBackward {
    /// The layouts an operation descriptor is made for (oneDNN's raw descriptors, as its
    /// `*_desc_init` functions take them); `bias` is nil for a layer without bias.
    typealias WeightsOperation = (_ source: inout dnnl_memory_desc_t, _ weights: inout dnnl_memory_desc_t,
                                  _ bias: UnsafeMutablePointer<dnnl_memory_desc_t>?, _ outputGradient: inout dnnl_memory_desc_t) throws -> PrimitiveDescriptor
    typealias DataOperation = (_ inputGradient: inout dnnl_memory_desc_t, _ outputGradient: inout dnnl_memory_desc_t) throws -> PrimitiveDescriptor

    private let gradientReorder: Reorder?
    private let activationBackward: BoundPrimitive?
    private let weightsStep: PrimitiveStep?
    private let dataStep: PrimitiveStep?
    /// dLoss/dInput after `run`, in `inputGradientLayout`; nil when not wanted.
    let inputGradient: Memory?

    /// `forward` is the layer's forward step (its source is what the weight gradient reads),
    /// `output` its output; the input gradient is written in `inputGradientLayout` (nil: none).
    init(outputGradient: Memory, output: Memory, activation: ActivationFunction?, forward: PrimitiveStep,
         kernel: Parameter, bias: Parameter?, inputGradientLayout: MemoryDescriptor?, engine: ComputeEngine,
         weightsOperation: WeightsOperation, dataOperation: DataOperation) throws {
        let (gradient, reorder) = try Reorder.adapting(outputGradient, to: output.descriptor, engine: engine)
        gradientReorder = reorder
        var preActivation = gradient
        if let activation {
            let (primitive, result) = try FusedActivation(function: activation).backward(output: output, gradient: gradient, engine: engine)
            activationBackward = primitive
            preActivation = result
        } else {
            activationBackward = nil
        }
        var diffDst = output.descriptor.raw
        if let kernelGradient = kernel.gradient {
            let source = forward.memory(DNNL_ARG_SRC)!
            var src = source.descriptor.raw, diffWeights = kernel.value.descriptor.raw
            var outputs: [PrimitiveArgument] = [.diffWeights(kernelGradient)]
            let pd: PrimitiveDescriptor
            if let bias, let biasGradient = bias.gradient {
                var diffBias = bias.value.descriptor.raw
                pd = try weightsOperation(&src, &diffWeights, &diffBias, &diffDst)
                outputs.append(.diffBias(biasGradient))
            } else {
                pd = try weightsOperation(&src, &diffWeights, nil, &diffDst)
            }
            weightsStep = try PrimitiveStep(pd, inputs: [.src(source), .diffDst(preActivation)], outputs: outputs, engine: engine)
        } else {
            weightsStep = nil
        }
        guard let inputGradientLayout else {
            (dataStep, inputGradient) = (nil, nil)
            return
        }
        let inputGradient = try Memory(inputGradientLayout, engine: engine)
        var diffSrc = inputGradientLayout.raw
        dataStep = try PrimitiveStep(try dataOperation(&diffSrc, &diffDst), inputs: [.diffDst(preActivation), .weights(kernel.value)],
                                     outputs: [.diffSrc(inputGradient)], engine: engine)
        self.inputGradient = inputGradient
    }

    func run(on engine: ComputeEngine) throws {
        try gradientReorder?.run(on: engine)
        try activationBackward?.run(on: engine)
        try weightsStep?.run(on: engine)
        try dataStep?.run(on: engine)
    }

    var implementations: [String] { [weightsStep, dataStep].compactMap { $0?.implementation } }
}
