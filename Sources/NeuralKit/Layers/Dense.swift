import CDNNL

/// A fully connected layer (Keras' `Dense`) with bias and an optional fused activation, on
/// oneDNN's inner product. It reads a flat `(N, features)` input, or an image `(N, C, H, W)` in
/// its blocked layout directly, which is how `Flatten` costs nothing.
public final class Dense: UnaryLayer {
    public let name: String
    public let units: Int
    public let activation: ActivationFunction?
    public private(set) var parameters: [Parameter] = []

    private var kernel: Parameter!
    private var bias: Parameter!
    private var output: Memory!
    private var forwardPD: PrimitiveDescriptor!
    private var forwardStep: PrimitiveStep!
    private var backwardPass: WeightedBackward?

    public init(name: String, units: Int, activation: ActivationFunction?) {
        self.name = name
        self.units = units
        self.activation = activation
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        let engine = context.engine
        let dims = input.dims
        guard dims.count == 2 || dims.count == 4 else { throw ModelError.shape("\(name) cannot read shape \(dims)") }
        let weightDims = [units] + dims.dropFirst()
        let attributes = try activation.map { a throws(DNNLError) in try FusedActivation(function: a).attributes() }
        let prop = context.training ? dnnl_forward_training : dnnl_forward_inference
        let biasLayout = try MemoryDescriptor(dims: [units], tag: dnnl_x)
        // Read the input in the layout it comes in; only if no implementation takes it, let
        // oneDNN choose (and reorder).
        func descriptor(source: MemoryDescriptor) throws(DNNLError) -> PrimitiveDescriptor {
            var src = source.raw, bias = biasLayout.raw
            var weights = try MemoryDescriptor.any(weightDims).raw
            var dst = try MemoryDescriptor.any([dims[0], units]).raw
            var op = dnnl_inner_product_desc_t()
            try check(dnnl_inner_product_forward_desc_init(&op, prop, &src, &weights, &bias, &dst), "\(name) descriptor")
            return try PrimitiveDescriptor(op, engine: engine, attributes: attributes, what: "\(name) forward")
        }
        let pd: PrimitiveDescriptor
        do { pd = try descriptor(source: input.descriptor) } catch { pd = try descriptor(source: try .any(dims)) }
        forwardPD = pd
        let plain: MemoryDescriptor, saved: [Int]
        if dims.count == 2 {
            (plain, saved) = (try MemoryDescriptor(dims: weightDims, tag: dnnl_io), [dims[1], units])
        } else {
            (plain, saved) = (try MemoryDescriptor(dims: weightDims, tag: dnnl_hwio), [dims[1] * dims[2] * dims[3], units])
        }
        kernel = try Parameter(name: name + ".kernel", layout: pd.descriptor(dnnl_query_weights_md)!, plainLayout: plain,
                               savedShape: saved, trainable: context.trainable, engine: engine)
        bias = try Parameter(name: name + ".bias", layout: pd.descriptor(dnnl_query_weights_md, index: 1) ?? biasLayout,
                             plainLayout: biasLayout, savedShape: [units], trainable: context.trainable, engine: engine)
        parameters = [kernel, bias]
        if context.initializeWeights { try kernel.initializeGlorotUniform(fanIn: saved[0], fanOut: units, seed: context.seed) }
        output = try context.output(pd.descriptor(dnnl_query_dst_md)!)
        forwardStep = try PrimitiveStep(pd, inputs: [.src(input), .weights(kernel.value), .bias(bias.value)],
                                        outputs: [.dst(output)], engine: engine)
        return output
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        let (name, forwardPD, engine) = (name, forwardPD!, context.engine)
        guard needsInputGradient || kernel.isTrainable else { return nil }
        let source = forwardStep.memory(DNNL_ARG_SRC)!
        let kernelLayout = kernel.value.descriptor
        let pass = try WeightedBackward(
            outputGradient: outputGradient, output: output, activation: activation, forward: forwardStep,
            kernel: kernel, bias: bias, inputGradientLayout: needsInputGradient ? source.descriptor : nil, engine: engine,
            weightsOperation: { src, diffWeights, diffBias, diffDst in
                var op = dnnl_inner_product_desc_t()
                try check(dnnl_inner_product_backward_weights_desc_init(&op, &src, &diffWeights, diffBias, &diffDst),
                          "\(name) weight-gradient descriptor")
                return try PrimitiveDescriptor(op, engine: engine, hint: forwardPD, what: "\(name) weight gradient")
            },
            dataOperation: { diffSrc, diffDst in
                var weights = kernelLayout.raw
                var op = dnnl_inner_product_desc_t()
                try check(dnnl_inner_product_backward_data_desc_init(&op, &diffSrc, &weights, &diffDst), "\(name) input-gradient descriptor")
                return try PrimitiveDescriptor(op, engine: engine, hint: forwardPD, what: "\(name) input gradient")
            })
        backwardPass = pass
        return pass.inputGradient
    }

    public func forward(training: Bool, step: Int) throws { try forwardStep.run(on: kernel.engine) }

    public func backward() throws { try backwardPass?.run(on: kernel.engine) }

    public var implementations: [String] { [forwardStep.implementation] + (backwardPass?.implementations ?? []) }
}
