/// Seeded choices the sample layouts make (ids, splits, extra labels), written out here rather
/// than taken from the standard library so the same seed gives the same dataset on every
/// Swift version.
enum SampleDraw {
    /// A uniform integer in `0..<bound`.
    static func index(below bound: Int, using rng: inout SeededGenerator) -> Int {
        precondition(bound > 0)
        return Int(rng.next() % UInt64(bound))
    }

    /// `items` in a random order (Fisher-Yates).
    static func shuffled<T>(_ items: [T], using rng: inout SeededGenerator) -> [T] {
        var items = items
        for i in items.indices.reversed() where i > 0 {
            items.swapAt(i, index(below: i + 1, using: &rng))
        }
        return items
    }
}
