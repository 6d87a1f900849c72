/// One result slot per item for parallel workers: each index is written by exactly one worker,
/// and the slots are read only after every worker has joined, so no lock is needed.
final class IndexedSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: T) { slots[index] = value }

    /// Every slot; nil where no worker wrote (an item never attempted).
    var values: [T?] { Array(slots) }
}
