import CDNNL

/// Post-ops for a primitive: what it applies to its output before writing it (an activation;
/// for an inference convolution also a tensor added to it, Keras' residual `Add`).
final class PrimitiveAttributes: @unchecked Sendable {
    let raw: dnnl_primitive_attr_t

    /// One operation on the output.
    enum PostOp {
        /// `dst = f(dst)`.
        case eltwise(dnnl_alg_kind_t, alpha: Float, beta: Float)
        /// `dst = dst + src1`, src1 a tensor of the output's shape in `layout`.
        case add(MemoryDescriptor)
        /// `dst = op(...) + dst`: the primitive adds what its output memory already holds.
        case sum
    }

    /// Attributes with the scratchpad in user mode: a primitive's temporary memory comes from
    /// its engine's one shared buffer (`BoundPrimitive`), not an allocation of its own; Winograd
    /// convolutions need tens of MB each, and VGG16 has thirteen of them.
    init() throws(DNNLError) {
        var attr: dnnl_primitive_attr_t?
        try check(dnnl_primitive_attr_create(&attr), "attribute creation")
        raw = attr!
        try check(dnnl_primitive_attr_set_scratchpad_mode(raw, dnnl_scratchpad_mode_user), "scratchpad mode")
    }

    /// Attributes applying `postOps` in order.
    convenience init(postOps: [PostOp]) throws(DNNLError) {
        try self.init()
        var ops: dnnl_post_ops_t?
        try check(dnnl_post_ops_create(&ops), "post-ops creation")
        defer { dnnl_post_ops_destroy(ops) }
        for op in postOps {
            switch op {
            case let .eltwise(algorithm, alpha, beta):
                try check(dnnl_post_ops_append_eltwise(ops, 1, algorithm, alpha, beta), "eltwise post-op")
            case .sum:
                try check(dnnl_post_ops_append_sum(ops, 1), "sum post-op")
            case .add(let layout):
                var src1 = layout.raw
                try check(dnnl_post_ops_append_binary(ops, dnnl_binary_add, &src1), "binary post-op")
            }
        }
        try check(dnnl_primitive_attr_set_post_ops(raw, ops), "post-ops")
    }

    deinit { dnnl_primitive_attr_destroy(raw) }

    /// Plain attributes (no post-ops).
    static func userScratchpad() throws(DNNLError) -> PrimitiveAttributes { try PrimitiveAttributes() }

    /// Appends an element-wise operation applied to the primitive's output.
    func appendEltwise(_ algorithm: dnnl_alg_kind_t, alpha: Float, beta: Float = 0) throws(DNNLError) {
        var ops: dnnl_post_ops_t?
        try check(dnnl_post_ops_create(&ops), "post-ops creation")
        defer { dnnl_post_ops_destroy(ops) }
        try check(dnnl_post_ops_append_eltwise(ops, 1, algorithm, alpha, beta), "eltwise post-op")
        try check(dnnl_primitive_attr_set_post_ops(raw, ops), "post-ops")
    }

    /// The execution argument of post-op `index`'s second source (`DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1`).
    static func postOpSource(_ index: Int) -> Int32 { Int32(DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE) * Int32(index + 1) | DNNL_ARG_SRC_1 }
}
