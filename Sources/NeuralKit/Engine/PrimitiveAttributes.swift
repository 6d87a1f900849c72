import CDNNL

/// Post-ops for a primitive (a fused activation).
final class PrimitiveAttributes: @unchecked Sendable {
    let raw: dnnl_primitive_attr_t

    init() throws(DNNLError) {
        var attr: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attr), "attribute creation")
        raw = attr!
    }

    deinit { dnnl_primitive_attr_destroy(raw) }

    /// Appends an element-wise operation applied to the primitive's output.
    func appendEltwise(_ algorithm: dnnl_alg_kind_t, alpha: Float, beta: Float = 0) throws(DNNLError) {
        var ops: dnnl_post_ops_t?
        try check(dnnl_post_ops_create(&ops), "post-ops creation")
        defer { dnnl_post_ops_destroy(ops) }
        try check(dnnl_post_ops_append_eltwise(ops, 1, algorithm, alpha, beta), "eltwise post-op")
        try check(dnnl_primitive_attr_set_post_ops(raw, ops), "post-ops")
    }
}
