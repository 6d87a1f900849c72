import CDNNL

/// A primitive bound to the layer's memories, with a reorder around any argument whose layout
/// the primitive chose differently: inputs are reordered in before it runs, outputs out after.
/// With matching layouts (the normal case inside a network) it is the bare primitive.
final class PrimitiveStep: @unchecked Sendable {
    private let primitive: BoundPrimitive
    private let before: [Reorder]
    private let after: [Reorder]
    private let bound: [(Int32, Memory)]

    init(_ pd: PrimitiveDescriptor, inputs: [PrimitiveArgument], outputs: [PrimitiveArgument], engine: ComputeEngine) throws(DNNLError) {
        var bound: [(Int32, Memory)] = []
        var before: [Reorder] = [], after: [Reorder] = []
        for argument in inputs {
            let wanted = pd.descriptor(argument.query, index: argument.index) ?? argument.memory.descriptor
            let (memory, reorder) = try Reorder.adapting(argument.memory, to: wanted, engine: engine)
            if let reorder { before.append(reorder) }
            bound.append((argument.id, memory))
        }
        for argument in outputs {
            let wanted = pd.descriptor(argument.query, index: argument.index) ?? argument.memory.descriptor
            if wanted == argument.memory.descriptor {
                bound.append((argument.id, argument.memory))
            } else {
                let staging = try Memory(wanted, engine: engine)
                after.append(try Reorder(staging, into: argument.memory, engine: engine))
                bound.append((argument.id, staging))
            }
        }
        primitive = try BoundPrimitive(pd, arguments: bound)
        self.bound = bound
        self.before = before
        self.after = after
    }

    /// The memory the primitive itself reads or writes for argument `id` (after any reorder).
    func memory(_ id: Int32) -> Memory? { bound.first { $0.0 == id }?.1 }

    /// Reorders made because layouts differed (0 inside a well-formed network).
    var reorderCount: Int { before.count + after.count }

    var implementation: String { primitive.descriptor.implementation }

    func run(on engine: ComputeEngine) throws(DNNLError) {
        for reorder in before { try reorder.run(on: engine) }
        try primitive.run(on: engine)
        for reorder in after { try reorder.run(on: engine) }
    }
}
