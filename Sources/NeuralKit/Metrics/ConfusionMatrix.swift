/// Counts of (true class, predicted class) pairs: `counts[t][p]`, as scikit-learn's
/// `confusion_matrix` (rows are the truth).
public struct ConfusionMatrix: Sendable, Equatable, Codable {
    public var classes: [String]
    public var counts: [[Int]]

    public init(classes: [String], truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "one prediction per example")
        self.classes = classes
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classes.count), count: classes.count)
        for (t, p) in zip(truth, predicted) { counts[t][p] += 1 }
        self.counts = counts
    }

    /// CSV: a header of predicted classes, then one row per true class.
    public var csv: String {
        var lines = [(["true \\ predicted"] + classes.map(Self.csvField)).joined(separator: ",")]
        for (index, row) in counts.enumerated() {
            lines.append(([Self.csvField(classes[index])] + row.map(String.init)).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
