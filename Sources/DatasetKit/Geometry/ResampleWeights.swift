/// Precomputed filter taps for one axis of a separable resize, in 14-bit fixed point.
///
/// Output sample `i` is `Σ weights[i * taps + k] * source[starts[i] + k]` for `k < counts[i]`,
/// the usual convolution formulation of resampling (the filter is widened by the reduction
/// factor so that shrinking averages every source pixel instead of skipping some).
struct ResampleWeights: Sendable {
    static let precisionBits: Int32 = 14
    static let one: Int32 = 1 << precisionBits

    let outputCount: Int
    /// Maximum taps of any output sample: the stride of `weights`.
    let taps: Int
    var starts: [Int32]
    var counts: [Int32]
    var weights: [Int32]

    /// Taps mapping the interval `[sourceStart, sourceStart + sourceLength)` of an axis with
    /// `sourceSize` pixels onto `outputCount` pixels.
    init(sourceStart: Double, sourceLength: Double, sourceSize: Int, outputCount: Int, filter: ResizeFilter) {
        precondition(outputCount > 0 && sourceSize > 0 && sourceLength > 0)
        self.outputCount = outputCount
        let scale = sourceLength / Double(outputCount)
        let filterScale = max(scale, 1)
        let support = max(filter.support * filterScale, 0.5)
        let taps = Int((support * 2).rounded(.up)) + 1
        self.taps = taps
        var starts = [Int32](repeating: 0, count: outputCount)
        var counts = [Int32](repeating: 0, count: outputCount)
        var weights = [Int32](repeating: 0, count: outputCount * taps)
        var real = [Double](repeating: 0, count: taps)
        for i in 0..<outputCount {
            let center = sourceStart + (Double(i) + 0.5) * scale
            var lo = max(Int((center - support + 0.5).rounded(.down)), 0)
            var hi = min(Int((center + support + 0.5).rounded(.down)), sourceSize)
            hi = min(hi, lo + taps)
            var total = 0.0
            if filter != .nearest {
                for k in 0..<(hi - lo) {
                    let w = filter.weight((Double(lo + k) + 0.5 - center) / filterScale)
                    real[k] = w
                    total += w
                }
            }
            if total <= 0 {
                // Nearest neighbour, or a filter window that caught no sample at an edge.
                lo = min(max(Int(center.rounded(.down)), 0), sourceSize - 1)
                hi = lo + 1
                real[0] = 1
                total = 1
            }
            starts[i] = Int32(lo)
            counts[i] = Int32(hi - lo)
            // Round each tap, then give the rounding remainder to the largest tap so that the
            // weights sum to exactly one: flat areas stay exactly flat.
            var sum: Int32 = 0, largest = 0
            for k in 0..<(hi - lo) {
                let w = Int32((real[k] / total * Double(Self.one)).rounded())
                weights[i * taps + k] = w
                sum += w
                if w > weights[i * taps + largest] { largest = k }
            }
            weights[i * taps + largest] += Self.one - sum
        }
        self.starts = starts
        self.counts = counts
        self.weights = weights
    }

    /// The range of source indices any output sample reads.
    var sourceSpan: Range<Int> {
        let first = Int(starts.min() ?? 0)
        var last = 0
        for i in 0..<outputCount { last = max(last, Int(starts[i] + counts[i])) }
        return first..<last
    }

    /// True when this maps every source pixel to itself.
    var isIdentity: Bool {
        counts.allSatisfy { $0 == 1 } && starts.enumerated().allSatisfy { Int($1) == $0 }
    }
}
