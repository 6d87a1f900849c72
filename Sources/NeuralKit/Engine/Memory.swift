import CDNNL

/// A float32 tensor in memory oneDNN allocated (aligned for its kernels), in the layout of its
/// descriptor. Swift loops (losses, dropout, optimizers) see it as a flat buffer of
/// `capacity` floats; blocked layouts pad channels with zeros, which those loops keep zero.
public final class Memory: @unchecked Sendable {
    let handle: dnnl_memory_t
    public let descriptor: MemoryDescriptor
    /// The first float.
    public private(set) var floats: UnsafeMutablePointer<Float>
    /// Floats in the buffer, padding included.
    public let capacity: Int
    /// The memory a view shares its buffer with.
    private var parent: Memory?

    init(_ descriptor: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        var handle: dnnl_memory_t?
        var raw = descriptor.raw
        try check(dnnl_memory_create(&handle, &raw, engine.engine, cdnnl_memory_allocate()),
                  "allocation of \(descriptor.dims)")
        var data: UnsafeMutableRawPointer?
        try check(dnnl_memory_get_data_handle(handle, &data), "data handle")
        self.handle = handle!
        self.descriptor = descriptor
        self.capacity = descriptor.byteCount / MemoryLayout<Float>.stride
        self.floats = data!.bindMemory(to: Float.self, capacity: max(1, capacity))
        zero()
    }

    /// A view into `parent`'s buffer described by `layout` (a submemory: a slice of channels or
    /// the inside of a padded image), which keeps `parent` alive. Its `floats` is the parent's
    /// first float; `capacity` is 0 (a region: for primitives, not for loops) unless the view is
    /// the whole parent reshaped (`whole`).
    init(view layout: MemoryDescriptor, of parent: Memory, whole: Bool = false, engine: ComputeEngine) throws(DNNLError) {
        var handle: dnnl_memory_t?
        var raw = layout.raw
        try check(dnnl_memory_create(&handle, &raw, engine.engine, UnsafeMutableRawPointer(parent.floats)), "view of \(parent.dims)")
        self.handle = handle!
        self.descriptor = layout
        self.floats = parent.floats
        self.capacity = whole ? parent.capacity : 0
        self.parent = parent
    }

    /// A memory whose buffer is assigned later (`bind`): an `ActivationArena` places it once the
    /// network is built. Until then `floats` points at nothing usable.
    init(deferred descriptor: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        var handle: dnnl_memory_t?
        var raw = descriptor.raw
        try check(dnnl_memory_create(&handle, &raw, engine.engine, nil), "memory for \(descriptor.dims)")
        self.handle = handle!
        self.descriptor = descriptor
        self.capacity = descriptor.byteCount / MemoryLayout<Float>.stride
        self.floats = Memory.unbound
    }

    /// Points the memory at `pointer` (at least `descriptor.byteCount` bytes, aligned).
    func bind(to pointer: UnsafeMutableRawPointer) throws(DNNLError) {
        try check(dnnl_memory_set_data_handle(handle, pointer), "binding \(descriptor.dims)")
        floats = pointer.bindMemory(to: Float.self, capacity: max(1, capacity))
    }

    /// Where an unbound memory points.
    private nonisolated(unsafe) static let unbound = UnsafeMutablePointer<Float>.allocate(capacity: 16)

    deinit { dnnl_memory_destroy(handle) }

    /// The whole buffer, padding included.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: floats, count: capacity) }

    /// Sets every float (padding included) to zero.
    public func zero() { floats.update(repeating: 0, count: capacity) }

    /// Logical dimensions.
    public var dims: [Int] { descriptor.dims }
}
