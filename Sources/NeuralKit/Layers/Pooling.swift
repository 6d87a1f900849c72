import CDNNL

/// Max or average pooling (Keras' `MaxPooling2D`, `AveragePooling2D`, `GlobalAveragePooling2D`,
/// `GlobalMaxPooling2D`). Windows that reach past the border with `same` padding take only the
/// pixels inside the image, as TensorFlow does (the average divides by their count), unless an
/// average window `includesPadding` (PyTorch's default: it divides by the window's size).
public final class Pooling: UnaryLayer {
    public enum Kind: Sendable { case max, average }

    public let name: String
    public let kind: Kind
    /// nil: the whole input (global pooling), output `(N, C, 1, 1)`, which a dense layer reads
    /// as `(N, C)`.
    public let window: LayerSpec.PoolWindow?
    /// Applied to the pooled output as a post-op. A network moves a convolution's ReLU here
    /// when max pooling follows it: max commutes with any non-decreasing function, so the
    /// values and gradients are the same, and the activation's backward pass touches a
    /// quarter of the data.
    public let activation: ActivationFunction?

    private var forwardPD: PrimitiveDescriptor!
    private var forwardStep: PrimitiveStep!
    private var backwardStep: PrimitiveStep?
    private var output: Memory!
    private var workspace: Memory?
    private var gradientReorder: Reorder?
    private var geometry: (strides: [Int64], kernel: [Int64], before: [Int64], after: [Int64])!
    private var engine: ComputeEngine!
    private var activationBackward: BoundPrimitive?

    public init(name: String, kind: Kind, window: LayerSpec.PoolWindow?, activation: ActivationFunction? = nil) {
        self.name = name
        self.kind = kind
        self.window = window
        self.activation = activation
    }

    private var algorithm: dnnl_alg_kind_t {
        switch kind {
        case .max: dnnl_pooling_max
        case .average: window?.includesPadding == true ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding
        }
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        engine = context.engine
        let dims = input.dims
        guard dims.count == 4 else { throw ModelError.shape("\(name) needs an image input, got shape \(dims)") }
        let window = window ?? LayerSpec.PoolWindow(size: Size2D(height: dims[2], width: dims[3]))
        let rows = window.padding.window(input: dims[2], kernel: window.size.height, stride: window.stride.height)
        let cols = window.padding.window(input: dims[3], kernel: window.size.width, stride: window.stride.width)
        guard rows.output > 0, cols.output > 0 else {
            throw ModelError.shape("\(name): a \(window.size) pool does not fit a \(dims[2])x\(dims[3]) input")
        }
        let outputDims = [dims[0], dims[1], rows.output, cols.output]
        geometry = ([Int64(window.stride.height), Int64(window.stride.width)], [Int64(window.size.height), Int64(window.size.width)],
                    [Int64(rows.before), Int64(cols.before)], [Int64(rows.after), Int64(cols.after)])
        var src = input.descriptor.raw
        var dst = try MemoryDescriptor.any(outputDims).raw
        var op = dnnl_pooling_v2_desc_t()
        let dilation: [Int64] = [0, 0]
        try check(dnnl_pooling_v2_forward_desc_init(&op, context.training ? dnnl_forward_training : dnnl_forward_inference,
                                                    algorithm, &src, &dst, geometry.strides, geometry.kernel, dilation,
                                                    geometry.before, geometry.after), "\(name) descriptor")
        let attributes = try activation.map { a throws(DNNLError) in try FusedActivation(function: a).attributes() }
        let pd = try PrimitiveDescriptor(op, engine: engine, attributes: attributes, what: "\(name) forward")
        forwardPD = pd
        output = try context.output(pd.descriptor(dnnl_query_dst_md)!)
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
        var (gradient, reorder) = try Reorder.adapting(outputGradient, to: output.descriptor, engine: engine)
        gradientReorder = reorder
        if let activation {
            let (primitive, preActivation) = try FusedActivation(function: activation).backward(output: output, gradient: gradient, engine: engine)
            activationBackward = primitive
            gradient = preActivation
        }
        let source = forwardStep.memory(DNNL_ARG_SRC)!
        let inputGradient = try Memory(source.descriptor, engine: engine)
        var diffSrc = source.descriptor.raw, diffDst = output.descriptor.raw
        var op = dnnl_pooling_v2_desc_t()
        let dilation: [Int64] = [0, 0]
        try check(dnnl_pooling_v2_backward_desc_init(&op, algorithm, &diffSrc, &diffDst, geometry.strides, geometry.kernel,
                                                     dilation, geometry.before, geometry.after), "\(name) backward descriptor")
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
