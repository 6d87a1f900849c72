import CDNNL

/// A oneDNN primitive descriptor: the implementation oneDNN picked for an operation, and the
/// layouts it wants for each argument.
final class PrimitiveDescriptor: @unchecked Sendable {
    let raw: dnnl_primitive_desc_t

    /// Creates the descriptor for an operation descriptor (`dnnl_*_desc_t`), optionally with
    /// attributes (post-ops) and the forward descriptor a backward one is based on.
    init<Op>(_ op: Op, engine: ComputeEngine, attributes: PrimitiveAttributes? = nil,
             hint: PrimitiveDescriptor? = nil, what: @autoclosure () -> String) throws(DNNLError) {
        var pd: dnnl_primitive_desc_t?
        var op = op
        let status = withUnsafePointer(to: &op) {
            dnnl_primitive_desc_create(&pd, UnsafeRawPointer($0), attributes?.raw, engine.engine, hint?.raw)
        }
        try check(status, what())
        raw = pd!
    }

    /// A reorder from one layout to another.
    init(reorderFrom source: MemoryDescriptor, to destination: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        var pd: dnnl_primitive_desc_t?
        var s = source.raw, d = destination.raw
        try check(dnnl_reorder_primitive_desc_create(&pd, &s, engine.engine, &d, engine.engine, nil),
                  "reorder \(source.dims)")
        raw = pd!
    }

    deinit { dnnl_primitive_desc_destroy(raw) }

    /// The layout this implementation wants for `what` (e.g. `dnnl_query_src_md`).
    func descriptor(_ what: dnnl_query_t, index: Int = 0) -> MemoryDescriptor? {
        guard let md = dnnl_primitive_desc_query_md(raw, what, Int32(index)) else { return nil }
        let desc = MemoryDescriptor(raw: md.pointee)
        return desc.raw.ndims == 0 ? nil : desc
    }

    /// oneDNN's name for the implementation (e.g. "jit:avx512_core"), for diagnostics.
    var implementation: String {
        var name: UnsafePointer<CChar>?
        let status = withUnsafeMutablePointer(to: &name) {
            dnnl_primitive_desc_query(raw, dnnl_query_impl_info_str, 0, UnsafeMutableRawPointer($0))
        }
        guard status == dnnl_success, let name else { return "?" }
        return String(cString: name)
    }
}

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

/// A primitive with its arguments bound: one call runs it.
final class BoundPrimitive: @unchecked Sendable {
    private let primitive: dnnl_primitive_t
    private var arguments: [dnnl_exec_arg_t]
    /// Kept alive while the primitive may touch them.
    private let memories: [Memory]
    let descriptor: PrimitiveDescriptor

    init(_ descriptor: PrimitiveDescriptor, arguments: [(Int32, Memory)]) throws(DNNLError) {
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor.raw), "primitive creation")
        self.primitive = primitive!
        self.descriptor = descriptor
        self.arguments = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        self.memories = arguments.map(\.1)
    }

    deinit { dnnl_primitive_destroy(primitive) }

    /// Runs the primitive on `engine`'s stream.
    func run(on engine: ComputeEngine) throws(DNNLError) {
        let count = Int32(arguments.count)
        let status = arguments.withUnsafeBufferPointer { dnnl_primitive_execute(primitive, engine.stream, count, $0.baseAddress) }
        try check(status, "execution of \(descriptor.implementation)")
    }
}
