import CDNNL

/// The shape, element type and layout of a tensor, as oneDNN describes it.
///
/// Logical dimensions are always in oneDNN's order — `(N, C, H, W)` for activations and
/// `(O, I, H, W)` for weights — whatever the physical layout (`tag`): plain (`nhwc`, `hwio`) at
/// the edges, blocked (`nChw16c`, `OIhw16i16o`) inside the network, chosen by the primitives.
public struct MemoryDescriptor: @unchecked Sendable, Equatable {
    var raw: dnnl_memory_desc_t

    init(raw: dnnl_memory_desc_t) { self.raw = raw }

    /// A float32 tensor of `dims` in the plain layout `tag` (or `dnnl_format_tag_any`: let the
    /// primitive choose).
    init(dims: [Int], tag: dnnl_format_tag_t) throws(DNNLError) {
        var raw = dnnl_memory_desc_t()
        let d = dims.map(Int64.init)
        try check(dnnl_memory_desc_init_by_tag(&raw, Int32(d.count), d, dnnl_f32, tag),
                  "memory descriptor \(dims) (tag \(tag.rawValue))")
        self.raw = raw
    }

    /// The "choose for me" version of a shape.
    static func any(_ dims: [Int]) throws(DNNLError) -> MemoryDescriptor { try MemoryDescriptor(dims: dims, tag: dnnl_format_tag_any) }

    /// Logical dimensions (oneDNN's order).
    public var dims: [Int] {
        withUnsafeBytes(of: raw.dims) { buffer in
            (0..<Int(raw.ndims)).map { Int(buffer.load(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }

    /// Elements, not counting any padding of blocked layouts.
    public var elementCount: Int { dims.reduce(1, *) }

    /// Bytes the layout needs, padding included.
    public var byteCount: Int {
        var copy = raw
        return dnnl_memory_desc_get_size(&copy)
    }

    /// The same logical shape with other dims (for a no-copy reshape of a plain layout).
    func reshaped(_ dims: [Int]) throws(DNNLError) -> MemoryDescriptor {
        var out = dnnl_memory_desc_t()
        var source = raw
        let d = dims.map(Int64.init)
        try check(dnnl_memory_desc_reshape(&out, &source, Int32(d.count), d), "reshape to \(dims)")
        return MemoryDescriptor(raw: out)
    }

    /// The region `dims` at `offsets` inside this layout (same strides and blocking).
    func submemory(dims: [Int], offsets: [Int]) throws(DNNLError) -> MemoryDescriptor {
        var out = dnnl_memory_desc_t()
        var parent = raw
        let d = dims.map(Int64.init), o = offsets.map(Int64.init)
        try check(dnnl_memory_desc_init_submemory(&out, &parent, d, o), "region \(dims) at \(offsets) of \(self.dims)")
        return MemoryDescriptor(raw: out)
    }

    /// The same physical format (plain or blocked by tag) for other dims, when it is one of the
    /// layouts networks use; nil otherwise.
    func sameFormat(dims: [Int]) -> MemoryDescriptor? {
        for tag in [dnnl_nChw8c, dnnl_nChw16c, dnnl_nhwc, dnnl_nchw] {
            guard let candidate = try? MemoryDescriptor(dims: self.dims, tag: tag), candidate == self else { continue }
            return try? MemoryDescriptor(dims: dims, tag: tag)
        }
        return nil
    }

    public static func == (a: MemoryDescriptor, b: MemoryDescriptor) -> Bool {
        var x = a.raw, y = b.raw
        return dnnl_memory_desc_equal(&x, &y) != 0
    }
}
