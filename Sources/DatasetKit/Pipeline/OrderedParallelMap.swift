import Foundation

extension ParallelRunner {
    /// `body` for every index of `range` on `jobs` threads; the results in index order.
    public static func map<T: Sendable>(_ range: Range<Int>, jobs: Int,
                                        body: @escaping @Sendable (Int) -> T) -> [T] {
        let slots = ResultSlots<T>(count: range.count)
        _ = run(count: range.count, jobs: jobs) { offset in
            slots.set(offset, body(range.lowerBound + offset))
            return .done()
        }
        return slots.values
    }

    /// Makes items on `jobs` threads and hands them to `consume` on the calling thread in index
    /// order: for work whose output must be written sequentially (an archive, a shard) while
    /// the making (decoding, encoding images) runs in parallel.
    ///
    /// The workers run continuously, each taking the next index, but never more than `window`
    /// indices ahead of the item being consumed, so memory holds at most `window` made items
    /// and no worker waits for a slower one to finish a batch. If `consume` throws, the items
    /// being made are finished and dropped, and nothing more is made.
    public static func forEachInOrder<T: Sendable, E: Error>(
        count: Int, jobs: Int, window: Int, produce: @escaping @Sendable (Int) -> T,
        consume: (Int, T) throws(E) -> Void
    ) throws(E) {
        guard count > 0 else { return }
        let buffer = ReorderBuffer<T>(count: count, lookahead: max(1, window))
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, count)) {
            group.enter()
            let thread = Thread {
                while let index = buffer.claim() { buffer.put(index, produce(index)) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            buffer.stop()
            group.wait()
        }
        for index in 0..<count { try consume(index, buffer.take(index)) }
    }
}

/// Items made out of order, handed out in order; workers claim indices at most `lookahead`
/// past the next one to be taken.
private final class ReorderBuffer<T>: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int
    private let lookahead: Int
    private var nextToClaim = 0
    private var nextToTake = 0
    private var stopped = false
    private var made: [Int: T] = [:]

    init(count: Int, lookahead: Int) {
        self.count = count
        self.lookahead = lookahead
    }

    /// The next index to make, waiting while it is too far ahead; nil when all are claimed or stopped.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && nextToClaim < count && nextToClaim >= nextToTake + lookahead { condition.wait() }
        guard !stopped && nextToClaim < count else { return nil }
        nextToClaim += 1
        return nextToClaim - 1
    }

    func put(_ index: Int, _ item: T) {
        condition.lock()
        made[index] = item
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for item `index` (the next in order) and removes it.
    func take(_ index: Int) -> T {
        condition.lock()
        defer { condition.unlock() }
        while made[index] == nil { condition.wait() }
        nextToTake = index + 1
        condition.broadcast()
        return made.removeValue(forKey: index)!
    }

    /// Makes `claim` return nil from now on.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// One slot per item, each written by exactly one worker; read after all workers joined.
private final class ResultSlots<T>: @unchecked Sendable {
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
    var values: [T] { slots.map { $0! } }
}
