import CDNNL

/// A standalone element-wise activation (Keras' `Activation("relu")`, `LeakyReLU`), on oneDNN's
/// eltwise primitive in the input's layout. Models fuse activations into the layer before when
/// they can; this is for the rest.
public final class ActivationLayer: UnaryLayer {
    public let name: String
    public let function: ActivationFunction

    private var input: Memory!
    private var output: Memory!
    private var forwardPD: PrimitiveDescriptor!
    private var forwardStep: PrimitiveStep!
    private var backwardStep: PrimitiveStep?
    private var engine: ComputeEngine!

    public init(name: String, function: ActivationFunction) {
        self.name = name
        self.function = function
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        engine = context.engine
        var data = input.descriptor.raw
        var op = dnnl_eltwise_desc_t()
        let f = function.forward
        try check(dnnl_eltwise_forward_desc_init(&op, context.training ? dnnl_forward_training : dnnl_forward_inference,
                                                 f.algorithm, &data, f.alpha, f.beta), "\(name) descriptor")
        forwardPD = try PrimitiveDescriptor(op, engine: engine, what: "\(name) forward")
        output = try context.output(input.descriptor)
        forwardStep = try PrimitiveStep(forwardPD, inputs: [.src(input)], outputs: [.dst(output)], engine: engine)
        self.input = input
        return output
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        guard needsInputGradient else { return nil }
        let inputGradient = try Memory(input.descriptor, engine: engine)
        var diff = input.descriptor.raw, data = input.descriptor.raw
        var op = dnnl_eltwise_desc_t()
        let f = function.forward
        try check(dnnl_eltwise_backward_desc_init(&op, f.algorithm, &diff, &data, f.alpha, f.beta),
                  "\(name) backward descriptor")
        let pd = try PrimitiveDescriptor(op, engine: engine, hint: forwardPD, what: "\(name) backward")
        backwardStep = try PrimitiveStep(pd, inputs: [.src(input), .diffDst(outputGradient)],
                                         outputs: [.diffSrc(inputGradient)], engine: engine)
        return inputGradient
    }

    public func forward(training: Bool, step: Int) throws { try forwardStep.run(on: engine) }

    public func backward() throws { try backwardStep?.run(on: engine) }

    public var implementations: [String] { [forwardStep, backwardStep].compactMap { $0?.implementation } }
}
