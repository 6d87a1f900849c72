/// Precision, recall, F1 and support of one class, or an average of them, with scikit-learn's
/// definitions: a ratio with a zero denominator is 0 (sklearn's default `zero_division="warn"`
/// returns 0), and F1 is `2·tp / (2·tp + fp + fn)`.
public struct ClassMetrics: Sendable, Equatable, Codable {
    public var name: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// True examples of the class (for an average: of all classes).
    public var support: Int

    public init(name: String, precision: Double, recall: Double, f1: Double, support: Int) {
        self.name = name
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }

    /// From counts of true positives, false positives and false negatives.
    init(name: String, tp: Int, fp: Int, fn: Int) {
        self.init(name: name, precision: Self.ratio(tp, tp + fp), recall: Self.ratio(tp, tp + fn),
                  f1: Self.ratio(2 * tp, 2 * tp + fp + fn), support: tp + fn)
    }

    static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    /// sklearn's `average="macro"` (plain mean) and `average="weighted"` (by support) of `rows`.
    static func averages(_ rows: [ClassMetrics]) -> (macro: ClassMetrics, weighted: ClassMetrics) {
        let n = Double(max(rows.count, 1))
        let support = rows.reduce(0) { $0 + $1.support }
        func mean(_ key: KeyPath<ClassMetrics, Double>) -> Double { rows.reduce(0) { $0 + $1[keyPath: key] } / n }
        func weighted(_ key: KeyPath<ClassMetrics, Double>) -> Double {
            support == 0 ? 0 : rows.reduce(0) { $0 + $1[keyPath: key] * Double($1.support) } / Double(support)
        }
        return (ClassMetrics(name: "macro avg", precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: support),
                ClassMetrics(name: "weighted avg", precision: weighted(\.precision), recall: weighted(\.recall),
                             f1: weighted(\.f1), support: support))
    }
}
