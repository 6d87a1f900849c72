import Foundation
import Synchronization

/// Runs one function over many items on `jobs` threads.
///
/// Each worker takes the next index from a shared counter and holds one item at a time, so
/// memory is bounded by the number of workers, not the number of items. Outcomes are stored by
/// index, so results never depend on scheduling.
public enum ParallelRunner {
    /// Runs `body` for every index in `0..<count`. With `stopOnFailure`, workers stop taking new
    /// items after the first failure; the untouched ones are `nil` in the result.
    public static func run(count: Int, jobs: Int, stopOnFailure: Bool = false, progress: ProgressReporter? = nil,
                           body: @escaping @Sendable (Int) -> ItemOutcome) -> [ItemOutcome?] {
        let results = IndexedSlots<ItemOutcome>(count: count)
        let next = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let workers = max(1, min(jobs, count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while !stop.load(ordering: .relaxed) {
                    let index = next.add(1, ordering: .relaxed).oldValue
                    if index >= count { break }
                    let outcome = body(index)
                    results.set(index, outcome)
                    progress?.record(outcome)
                    if stopOnFailure, case .failed = outcome { stop.store(true, ordering: .relaxed) }
                }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return results.values
    }
}
