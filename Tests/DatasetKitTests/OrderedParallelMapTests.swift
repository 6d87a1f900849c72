import Synchronization
import Testing
@testable import DatasetKit

@Suite struct OrderedParallelMapTests {
    @Test func mapKeepsIndexOrder() {
        #expect(ParallelRunner.map(5..<105, jobs: 4) { $0 * $0 } == (5..<105).map { $0 * $0 })
        #expect(ParallelRunner.map(0..<0, jobs: 4) { $0 }.isEmpty)
    }

    @Test(arguments: [(1, 1), (3, 2), (4, 64)])
    func consumesEverythingInOrder(_ jobs: Int, _ window: Int) {
        var seen: [Int] = []
        ParallelRunner.forEachInOrder(count: 50, jobs: jobs, window: window, produce: { "item \($0)" }) { index, item in
            #expect(item == "item \(index)")
            seen.append(index)
        }
        #expect(seen == Array(0..<50))
    }

    struct Stop: Error {}

    @Test func stopsMakingItemsAfterConsumeThrows() {
        let made = Atomic<Int>(0)
        #expect(throws: Stop.self) {
            try ParallelRunner.forEachInOrder(count: 1000, jobs: 2, window: 10, produce: { i in
                made.add(1, ordering: .relaxed)
                return i
            }) { index, _ throws(Stop) in
                if index == 15 { throw Stop() }
            }
        }
        // The window being consumed and the one made ahead, nothing after.
        #expect(made.load(ordering: .relaxed) <= 30)
    }
}
