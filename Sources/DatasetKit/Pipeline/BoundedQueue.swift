import Foundation

/// A hand-off from one producer thread to one consumer thread, bounded by the total cost
/// (e.g. bytes) of the items waiting, so a fast producer cannot fill memory.
///
/// The consumer takes everything waiting at once, so the lock is taken once per batch rather
/// than once per item.
final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var cost = 0
    private var closed = false
    private let limit: Int

    /// `limit`: the most cost waiting before `push` blocks (a single bigger item still passes).
    init(limit: Int) {
        self.limit = limit
    }

    /// Adds an item, waiting while the queue is full.
    func push(_ item: Element, cost itemCost: Int) {
        condition.lock()
        while cost > 0 && cost + itemCost > limit { condition.wait() }
        items.append(item)
        cost += itemCost
        condition.broadcast()
        condition.unlock()
    }

    /// No more items will come.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Moves every waiting item into `batch` (emptied first), waiting for at least one; false when
    /// the queue is closed and drained.
    func popAll(into batch: inout [Element]) -> Bool {
        batch.removeAll(keepingCapacity: true)
        condition.lock()
        while items.isEmpty && !closed { condition.wait() }
        swap(&items, &batch)
        cost = 0
        condition.broadcast()
        condition.unlock()
        return !batch.isEmpty
    }
}
