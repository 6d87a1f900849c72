/// One buffer for the layer outputs of an inference network, each output placed where no other
/// output that is alive at the same time lies (the memory planning of inference engines): a
/// tensor lives from the step that writes it to the last step that reads it. Used while one
/// network is built, on one thread. VGG16's
/// activations at batch 32 take 3 GB held all at once, and about a quarter of that planned.
final class ActivationArena: @unchecked Sendable {
    private struct Tensor {
        var memory: Memory
        var bytes: Int
        var first: Int
        var last: Int
    }

    private var tensors: [Tensor] = []
    private var index: [ObjectIdentifier: Int] = [:]
    /// The step being built: outputs made now are written by it.
    var step = 0
    private(set) var buffer: UnsafeMutableRawPointer?
    private(set) var byteCount = 0

    deinit { buffer?.deallocate() }

    /// An output of the current step, its buffer assigned by `allocate`.
    func output(_ layout: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) -> Memory {
        let memory = try Memory(deferred: layout, engine: engine)
        index[ObjectIdentifier(memory)] = tensors.count
        tensors.append(Tensor(memory: memory, bytes: layout.byteCount, first: step, last: step))
        return memory
    }

    /// Records that `memory` is read at `step` (nothing for memories the arena did not make).
    func use(_ memory: Memory, at step: Int) {
        guard let i = index[ObjectIdentifier(memory)] else { return }
        tensors[i].last = max(tensors[i].last, step)
    }

    /// Whether the arena places `memory`.
    func holds(_ memory: Memory) -> Bool { index[ObjectIdentifier(memory)] != nil }

    /// Places every output and binds it: largest first, each at the lowest offset that overlaps
    /// no placed tensor alive at the same time.
    func allocate() throws(DNNLError) {
        let alignment = 64
        func rounded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
        var placed: [(offset: Int, end: Int, first: Int, last: Int)] = []
        var offsets = [Int](repeating: 0, count: tensors.count)
        for i in tensors.indices.sorted(by: { tensors[$0].bytes > tensors[$1].bytes }) {
            let t = tensors[i]
            let size = rounded(max(t.bytes, 1))
            let clashes = placed.filter { $0.first <= t.last && t.first <= $0.last }.sorted { $0.offset < $1.offset }
            var offset = 0
            for other in clashes where offset + size > other.offset {
                offset = max(offset, other.end)
            }
            offsets[i] = offset
            placed.append((offset, offset + size, t.first, t.last))
        }
        byteCount = placed.map(\.end).max() ?? 0
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, alignment), alignment: alignment)
        self.buffer = buffer
        for (i, t) in tensors.enumerated() { try t.memory.bind(to: buffer + offsets[i]) }
    }
}
