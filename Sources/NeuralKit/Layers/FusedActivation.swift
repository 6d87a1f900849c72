import CDNNL

/// The activation a convolution, dense or pooling layer applies as a oneDNN post-op, and its
/// backward pass: dLoss/dPreActivation computed from the layer's own output (exact for ReLU,
/// leaky ReLU with a non-negative slope and ReLU6), written into a memory of its own.
struct FusedActivation {
    let function: ActivationFunction

    /// Attributes that make a primitive apply the activation to its output.
    func attributes() throws(DNNLError) -> PrimitiveAttributes {
        let attributes = try PrimitiveAttributes()
        let f = function.forward
        try attributes.appendEltwise(f.algorithm, alpha: f.alpha, beta: f.beta)
        return attributes
    }

    /// The backward primitive turning `gradient` (dLoss/dOutput, same layout as `output`, only
    /// read) into dLoss/dPreActivation, and the memory it writes that into.
    func backward(output: Memory, gradient: Memory, engine: ComputeEngine) throws -> (BoundPrimitive, Memory) {
        guard let f = function.fromOutput else {
            throw ModelError.shape("a \(function.name) with a negative slope cannot be fused into the layer before it")
        }
        var forwardOp = dnnl_eltwise_desc_t()
        var layout = output.descriptor.raw
        try check(dnnl_eltwise_forward_desc_init(&forwardOp, dnnl_forward_training, f.algorithm, &layout, f.alpha, f.beta),
                  "activation descriptor")
        let forward = try PrimitiveDescriptor(forwardOp, engine: engine, what: "activation (forward hint)")
        var op = dnnl_eltwise_desc_t()
        var gradientLayout = gradient.descriptor.raw
        try check(dnnl_eltwise_backward_desc_init(&op, f.algorithm, &gradientLayout, &layout, f.alpha, f.beta),
                  "activation backward descriptor")
        let pd = try PrimitiveDescriptor(op, engine: engine, hint: forward, what: "activation backward")
        let result = try Memory(gradient.descriptor, engine: engine)
        let primitive = try BoundPrimitive(pd, arguments: [(DNNL_ARG_DST, output), (DNNL_ARG_DIFF_DST, gradient),
                                                           (DNNL_ARG_DIFF_SRC, result)])
        return (primitive, result)
    }
}
