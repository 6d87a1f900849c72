/// The single-label evaluation: accuracy, per-class precision/recall/F1/support, macro and
/// weighted averages and the confusion matrix, equal to scikit-learn's `accuracy_score`,
/// `precision_recall_fscore_support(labels=range(C))` and `confusion_matrix` on the same
/// predictions (averages run over every class of the model).
public struct ClassificationReport: Sendable, Equatable, Codable {
    public var accuracy: Double
    public var examples: Int
    /// In class order.
    public var classes: [ClassMetrics]
    public var macro: ClassMetrics
    public var weighted: ClassMetrics
    public var confusion: ConfusionMatrix

    public init(classNames: [String], truth: [Int], predicted: [Int]) {
        let confusion = ConfusionMatrix(classes: classNames, truth: truth, predicted: predicted)
        let n = classNames.count
        classes = (0..<n).map { k in
            let tp = confusion.counts[k][k]
            let fn = confusion.counts[k].reduce(0, +) - tp
            let fp = (0..<n).reduce(0) { $0 + confusion.counts[$1][k] } - tp
            return ClassMetrics(name: classNames[k], tp: tp, fp: fp, fn: fn)
        }
        (macro, weighted) = ClassMetrics.averages(classes)
        examples = truth.count
        accuracy = ClassMetrics.ratio(zip(truth, predicted).filter { $0 == $1 }.count, truth.count)
        self.confusion = confusion
    }

    /// Classes by F1, best first (the Food-101 tutorial's table); ties keep class order.
    public var classesByF1: [ClassMetrics] {
        classes.enumerated().sorted { ($0.element.f1, -$0.offset) > ($1.element.f1, -$1.offset) }.map(\.element)
    }
}
