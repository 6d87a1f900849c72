/// Sizes, counts and offsets computed from numbers read out of a file (array shapes, image
/// dimensions, header lengths). A hostile file can make such arithmetic overflow or go negative;
/// these functions say so with `nil` instead of trapping, or, in an unchecked build, wrapping.
/// Every parser that turns numbers it read into a size goes through here.
public enum CheckedSize {
    /// The product of `factors` (1 for none), or `nil` when a factor is negative or the product
    /// does not fit in `Int`.
    public static func product<S: Sequence>(_ factors: S) -> Int? where S.Element == Int {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            result = next
        }
        return result
    }

    /// The product of `factors`, or `nil` when one is negative or the product overflows.
    public static func product(_ factors: Int...) -> Int? { product(factors) }

    /// `a + b` for non-negative operands, or `nil` when one is negative or the sum overflows.
    public static func sum(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (total, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : total
    }

    /// Whether `offset..<offset+count` lies within `0..<length`, without overflowing.
    public static func range(offset: Int, count: Int, within length: Int) -> Bool {
        guard let end = sum(offset, count) else { return false }
        return end <= length
    }
}
