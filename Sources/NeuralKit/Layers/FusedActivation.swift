import CDNNL

/// The activation a convolution or dense layer applies as a oneDNN post-op, and its backward
/// pass: dLoss/dPreActivation from the layer's own output (`relu_use_dst_for_bwd`, exact for
/// ReLU and leaky ReLU with a positive slope), in place in the output gradient.
struct FusedActivation {
    let function: ActivationFunction

    /// Attributes that make a primitive apply the activation to its output.
    func attributes() throws(DNNLError) -> PrimitiveAttributes {
        let attributes = try PrimitiveAttributes()
        try attributes.appendEltwise(dnnl_eltwise_relu, alpha: function.alpha)
        return attributes
    }

    /// The backward primitive turning `gradient` (dLoss/dOutput, same layout as `output`) into
    /// dLoss/dPreActivation in place.
    func backward(output: Memory, gradient: Memory, engine: ComputeEngine) throws(DNNLError) -> BoundPrimitive {
        var forwardOp = dnnl_eltwise_desc_t()
        var layout = output.descriptor.raw
        try check(dnnl_eltwise_forward_desc_init(&forwardOp, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd,
                                                 &layout, function.alpha, 0), "activation descriptor")
        let forward = try PrimitiveDescriptor(forwardOp, engine: engine, what: "activation (forward hint)")
        var op = dnnl_eltwise_desc_t()
        var gradientLayout = gradient.descriptor.raw
        try check(dnnl_eltwise_backward_desc_init(&op, dnnl_eltwise_relu_use_dst_for_bwd, &gradientLayout, &layout,
                                                  function.alpha, 0), "activation backward descriptor")
        let pd = try PrimitiveDescriptor(op, engine: engine, hint: forward, what: "activation backward")
        return try BoundPrimitive(pd, arguments: [(DNNL_ARG_DST, output), (DNNL_ARG_DIFF_DST, gradient),
                                                  (DNNL_ARG_DIFF_SRC, gradient)])
    }
}
