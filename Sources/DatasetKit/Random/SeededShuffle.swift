extension SeededGenerator {
    /// A uniform integer in `0..<bound` (multiply-high: no division, bias below 2^-40 for any
    /// bound a dataset has). Spelled out rather than taken from the standard library, whose
    /// algorithms may change between toolchains; splits must not.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher–Yates with our own generator: the same seed gives the same order on every
    /// platform and toolchain.
    public mutating func seededShuffle(using generator: inout SeededGenerator) {
        guard count > 1 else { return }
        for i in stride(from: endIndex - 1, to: startIndex, by: -1) {
            let j = startIndex + generator.below(i - startIndex + 1)
            swapAt(i, j)
        }
    }
}
