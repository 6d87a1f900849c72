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
    /// order: for work whose output must be written sequentially (an archive) while the making
    /// (encoding images) runs in parallel.
    ///
    /// Works in windows of `window` items; the next window is made while the current one is
    /// consumed, so memory holds at most two windows. If `consume` throws, the window being
    /// made is finished and dropped, and nothing more is made.
    public static func forEachInOrder<T: Sendable, E: Error>(
        count: Int, jobs: Int, window: Int, produce: @escaping @Sendable (Int) -> T,
        consume: (Int, T) throws(E) -> Void
    ) throws(E) {
        let window = max(1, window)
        var start = 0
        var current = map(0..<min(window, count), jobs: jobs, body: produce)
        while start < count {
            let nextStart = start + current.count, nextEnd = min(nextStart + window, count)
            let ahead = ResultSlots<[T]>(count: 1)
            let group = DispatchGroup()
            if nextStart < nextEnd {
                DispatchQueue.global().async(group: group) {
                    ahead.set(0, map(nextStart..<nextEnd, jobs: jobs, body: produce))
                }
            }
            do {
                for (offset, item) in current.enumerated() { try consume(start + offset, item) }
            } catch {
                group.wait()
                throw error
            }
            group.wait()
            start = nextStart
            current = nextStart < nextEnd ? ahead.values[0] : []
        }
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
