/// The multi-label evaluation, equal to scikit-learn on the same 0/1 predictions:
/// `f1_score(average="samples")` (the multi-label tutorial's metric) with the samples'
/// precision and recall, per-label precision/recall/F1/support, micro/macro/weighted averages,
/// the exact-match ratio (`accuracy_score`, subset accuracy) and the Hamming loss.
public struct MultiLabelReport: Sendable, Equatable, Codable {
    public var samplesF1: Double
    public var samplesPrecision: Double
    public var samplesRecall: Double
    public var exactMatch: Double
    public var hammingLoss: Double
    public var examples: Int
    /// In class order.
    public var labels: [ClassMetrics]
    public var micro: ClassMetrics
    public var macro: ClassMetrics
    public var weighted: ClassMetrics

    /// `truth` and `predicted` are `examples x classNames.count` 0/1 values, row after row.
    public init(classNames: [String], truth: [UInt8], predicted: [UInt8]) {
        let c = classNames.count
        precondition(c > 0 && truth.count == predicted.count && truth.count % c == 0, "multi-hot rows of \(c) values")
        let n = truth.count / c
        var tp = [Int](repeating: 0, count: c), fp = tp, fn = tp
        var f1 = 0.0, precision = 0.0, recall = 0.0, exact = 0, wrong = 0
        for row in 0..<n {
            var hits = 0, trueCount = 0, predictedCount = 0, same = true
            for k in 0..<c {
                let t = truth[row * c + k] != 0, p = predicted[row * c + k] != 0
                if t { trueCount += 1 }
                if p { predictedCount += 1 }
                if t && p { hits += 1; tp[k] += 1 }
                if !t && p { fp[k] += 1 }
                if t && !p { fn[k] += 1 }
                if t != p { same = false; wrong += 1 }
            }
            f1 += ClassMetrics.ratio(2 * hits, trueCount + predictedCount)
            precision += ClassMetrics.ratio(hits, predictedCount)
            recall += ClassMetrics.ratio(hits, trueCount)
            if same { exact += 1 }
        }
        let rows = Double(max(n, 1))
        (samplesF1, samplesPrecision, samplesRecall) = (f1 / rows, precision / rows, recall / rows)
        exactMatch = Double(exact) / rows
        hammingLoss = Double(wrong) / Double(max(n * c, 1))
        examples = n
        labels = (0..<c).map { ClassMetrics(name: classNames[$0], tp: tp[$0], fp: fp[$0], fn: fn[$0]) }
        var all = ClassMetrics(name: "micro avg", tp: tp.reduce(0, +), fp: fp.reduce(0, +), fn: fn.reduce(0, +))
        all.support = tp.reduce(0, +) + fn.reduce(0, +)
        micro = all
        (macro, weighted) = ClassMetrics.averages(labels)
    }
}
