import CDNNL

/// A oneDNN primitive descriptor: the implementation oneDNN picked for an operation, and the
/// layouts it wants for each argument.
final class PrimitiveDescriptor: @unchecked Sendable {
    let raw: dnnl_primitive_desc_t

    /// Creates the descriptor for an operation descriptor (`dnnl_*_desc_t`), optionally with
    /// attributes (post-ops) and the forward descriptor a backward one is based on.
    init<Op>(_ op: Op, engine: ComputeEngine, attributes given: PrimitiveAttributes? = nil,
             hint: PrimitiveDescriptor? = nil, what: @autoclosure () -> String) throws(DNNLError) {
        var pd: dnnl_primitive_desc_t?
        var op = op
        let attributes: PrimitiveAttributes
        if let given { attributes = given } else { attributes = try PrimitiveAttributes() }
        let status = withUnsafePointer(to: &op) {
            dnnl_primitive_desc_create(&pd, UnsafeRawPointer($0), attributes.raw, engine.engine, hint?.raw)
        }
        try check(status, what())
        raw = pd!
    }

    /// A reorder from one layout to another.
    init(reorderFrom source: MemoryDescriptor, to destination: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        var pd: dnnl_primitive_desc_t?
        var s = source.raw, d = destination.raw
        let attributes = try PrimitiveAttributes()
        try check(dnnl_reorder_primitive_desc_create(&pd, &s, engine.engine, &d, engine.engine, attributes.raw),
                  "reorder \(source.dims)")
        raw = pd!
    }

    /// Takes ownership of a descriptor made by another creation function.
    init(owning raw: dnnl_primitive_desc_t) { self.raw = raw }

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

extension PrimitiveDescriptor {
    /// The element-wise sum of `sources` into `destination`'s layout (oneDNN's sum primitive).
    convenience init(sumOf sources: [MemoryDescriptor], into destination: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        var pd: dnnl_primitive_desc_t?
        var dst = destination.raw
        let raws = sources.map(\.raw)
        let scales = [Float](repeating: 1, count: sources.count)
        let attributes = try PrimitiveAttributes()
        let status = raws.withUnsafeBufferPointer { srcs in
            dnnl_sum_primitive_desc_create(&pd, &dst, Int32(sources.count), scales, srcs.baseAddress, attributes.raw, engine.engine)
        }
        try check(status, "sum of \(sources.count) tensors \(destination.dims)")
        self.init(owning: pd!)
    }

    /// `sources` side by side along `axis` into `destination` (its layout may be `any`).
    convenience init(concatOf sources: [MemoryDescriptor], axis: Int, into destination: MemoryDescriptor,
                     engine: ComputeEngine) throws(DNNLError) {
        var pd: dnnl_primitive_desc_t?
        var dst = destination.raw
        let raws = sources.map(\.raw)
        let attributes = try PrimitiveAttributes()
        let status = raws.withUnsafeBufferPointer { srcs in
            dnnl_concat_primitive_desc_create(&pd, &dst, Int32(sources.count), Int32(axis), srcs.baseAddress, attributes.raw, engine.engine)
        }
        try check(status, "concatenation of \(sources.count) tensors")
        self.init(owning: pd!)
    }
}
