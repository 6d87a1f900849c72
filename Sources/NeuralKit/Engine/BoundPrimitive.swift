import CDNNL

/// A primitive with its arguments bound: one call runs it.
final class BoundPrimitive: @unchecked Sendable {
    private let primitive: dnnl_primitive_t
    private var arguments: [dnnl_exec_arg_t]
    /// Kept alive while the primitive may touch them.
    private let memories: [Memory]
    let descriptor: PrimitiveDescriptor
    /// The layout of the temporary memory the primitive needs (nil: none), and the memory that
    /// points into its engine's shared scratchpad, made at the first run.
    private let scratchpadLayout: MemoryDescriptor?
    private var scratchpad: Memory?

    init(_ descriptor: PrimitiveDescriptor, arguments: [(Int32, Memory)]) throws(DNNLError) {
        var primitive: dnnl_primitive_t?
        try check(dnnl_primitive_create(&primitive, descriptor.raw), "primitive creation")
        self.primitive = primitive!
        self.descriptor = descriptor
        self.arguments = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1.handle) }
        self.memories = arguments.map(\.1)
        scratchpadLayout = descriptor.descriptor(dnnl_query_scratchpad_md).flatMap { $0.byteCount > 0 ? $0 : nil }
    }

    deinit { dnnl_primitive_destroy(primitive) }

    /// Runs the primitive on `engine`'s stream.
    func run(on engine: ComputeEngine) throws(DNNLError) {
        if let scratchpadLayout {
            if scratchpad == nil {
                let memory = try Memory(deferred: scratchpadLayout, engine: engine)
                scratchpad = memory
                arguments.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: memory.handle))
            }
            // The shared buffer may have grown (and moved) for a larger primitive since.
            try scratchpad!.bind(to: engine.scratchpad(bytes: scratchpadLayout.byteCount))
        }
        let count = Int32(arguments.count)
        let status = arguments.withUnsafeBufferPointer { dnnl_primitive_execute(primitive, engine.stream, count, $0.baseAddress) }
        try check(status, "execution of \(descriptor.implementation)")
    }
}
