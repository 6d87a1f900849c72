import CDNNL

/// Max or average pooling over square windows (Keras' `MaxPooling2D`, `GlobalAveragePooling2D`).
/// `MaxPool2D` and `GlobalAveragePool` configure it.
public class Pooling: Layer {
    public let name: String
    let algorithm: dnnl_alg_kind_t
    /// nil: the whole input (global pooling).
    let size: Int?
    /// Applied to the pooled output as a post-op. A network moves a convolution's ReLU here
    /// when max pooling follows it: max commutes with any non-decreasing function, so the
    /// values and gradients are the same, and the activation's backward pass touches a
    /// quarter of the data.
    let activation: ActivationFunction?

    private var forwardPD: PrimitiveDescriptor!
    private var forwardStep: PrimitiveStep!
    private var backwardStep: PrimitiveStep?
    private var output: Memory!
    private var workspace: Memory?
    private var gradient: Memory!
    private var gradientReorder: Reorder?
    private var window: (strides: [Int64], kernel: [Int64])!
    private var engine: ComputeEngine!
    private var activationBackward: BoundPrimitive?

    init(name: String, algorithm: dnnl_alg_kind_t, size: Int?, activation: ActivationFunction? = nil) {
        self.name = name
        self.algorithm = algorithm
        self.size = size
        self.activation = activation
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        engine = context.engine
        let dims = input.dims
        guard dims.count == 4 else { throw ModelError.shape("\(name) needs an image input, got shape \(dims)") }
        let (kh, kw) = size.map { ($0, $0) } ?? (dims[2], dims[3])
        guard dims[2] >= kh, dims[3] >= kw else {
            throw ModelError.shape("\(name): a \(kh)x\(kw) pool does not fit a \(dims[2])x\(dims[3]) input")
        }
        // Keras' default: stride = pool size, no padding (a partial window at the edge is dropped).
        let outputDims = [dims[0], dims[1], dims[2] / kh, dims[3] / kw]
        window = ([Int64(kh), Int64(kw)], [Int64(kh), Int64(kw)])
        var src = input.descriptor.raw
        var dst = try MemoryDescriptor.any(outputDims).raw
        var op = dnnl_pooling_v2_desc_t()
        let zero: [Int64] = [0, 0]
        try check(dnnl_pooling_v2_forward_desc_init(&op, context.training ? dnnl_forward_training : dnnl_forward_inference,
                                                    algorithm, &src, &dst, window.strides, window.kernel, zero, zero, zero),
                  "\(name) descriptor")
        let attributes = try activation.map { a throws(DNNLError) in try FusedActivation(function: a).attributes() }
        let pd = try PrimitiveDescriptor(op, engine: engine, attributes: attributes, what: "\(name) forward")
        forwardPD = pd
        output = try Memory(pd.descriptor(dnnl_query_dst_md)!, engine: engine)
        var outputs: [PrimitiveArgument] = [.dst(output)]
        if context.training, let layout = pd.descriptor(dnnl_query_workspace_md) {
            let workspace = try Memory(layout, engine: engine)
            self.workspace = workspace
            outputs.append(.workspace(workspace))
        }
        forwardStep = try PrimitiveStep(pd, inputs: [.src(input)], outputs: outputs, engine: engine)
        return output
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        guard needsInputGradient else { return nil }
        (gradient, gradientReorder) = try Reorder.adapting(outputGradient, to: output.descriptor, engine: engine)
        if let activation {
            activationBackward = try FusedActivation(function: activation).backward(output: output, gradient: gradient, engine: engine)
        }
        let source = forwardStep.memory(DNNL_ARG_SRC)!
        let inputGradient = try Memory(source.descriptor, engine: engine)
        var diffSrc = source.descriptor.raw, diffDst = output.descriptor.raw
        var op = dnnl_pooling_v2_desc_t()
        let zero: [Int64] = [0, 0]
        try check(dnnl_pooling_v2_backward_desc_init(&op, algorithm, &diffSrc, &diffDst, window.strides, window.kernel,
                                                     zero, zero, zero), "\(name) backward descriptor")
        let pd = try PrimitiveDescriptor(op, engine: engine, hint: forwardPD, what: "\(name) backward")
        var inputs: [PrimitiveArgument] = [.diffDst(gradient)]
        if let workspace { inputs.append(.workspace(workspace)) }
        backwardStep = try PrimitiveStep(pd, inputs: inputs, outputs: [.diffSrc(inputGradient)], engine: engine)
        return inputGradient
    }

    public func forward(training: Bool, step: Int) throws { try forwardStep.run(on: engine) }

    public func backward() throws {
        try gradientReorder?.run(on: engine)
        try activationBackward?.run(on: engine)
        try backwardStep?.run(on: engine)
    }

    public var implementations: [String] { [forwardStep, backwardStep].compactMap { $0?.implementation } }
}

/// Max pooling with a square window and the same stride (Keras' `MaxPooling2D(pool_size)`).
public final class MaxPool2D: Pooling {
    public init(name: String, size: Int, activation: ActivationFunction? = nil) {
        super.init(name: name, algorithm: dnnl_pooling_max, size: size, activation: activation)
    }
}

/// The mean of each channel over the whole image (Keras' `GlobalAveragePooling2D`): output
/// `(N, C, 1, 1)`, which a dense layer reads as `(N, C)`.
public final class GlobalAveragePool: Pooling {
    public init(name: String) { super.init(name: name, algorithm: dnnl_pooling_avg_exclude_padding, size: nil) }
}
