import CDNNL

/// A copy of a tensor into another layout, made only where two primitives disagree (at the
/// network's edges: the input batch, saved weights, the logits).
final class Reorder: @unchecked Sendable {
    let source: Memory
    let destination: Memory
    private let primitive: BoundPrimitive

    /// A reorder from `source` into a new memory of layout `layout`.
    convenience init(_ source: Memory, to layout: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        try self.init(source, into: try Memory(layout, engine: engine), engine: engine)
    }

    /// A reorder from `source` into `destination`.
    init(_ source: Memory, into destination: Memory, engine: ComputeEngine) throws(DNNLError) {
        self.source = source
        self.destination = destination
        let pd = try PrimitiveDescriptor(reorderFrom: source.descriptor, to: destination.descriptor, engine: engine)
        primitive = try BoundPrimitive(pd, arguments: [(DNNL_ARG_FROM, source), (DNNL_ARG_TO, destination)])
    }

    func run(on engine: ComputeEngine) throws(DNNLError) { try primitive.run(on: engine) }

    /// `memory` itself when it already has `layout`, else a reorder into a new memory of it.
    static func adapting(_ memory: Memory, to layout: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) -> (Memory, Reorder?) {
        if memory.descriptor == layout { return (memory, nil) }
        let reorder = try Reorder(memory, to: layout, engine: engine)
        return (reorder.destination, reorder)
    }
}
