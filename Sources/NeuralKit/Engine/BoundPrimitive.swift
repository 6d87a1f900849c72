import CDNNL

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
