import Foundation

/// Notices a network that has stopped learning from its input: its training loss sits at what
/// a network that ignores the input and outputs the class frequencies gets (ln(classes) for
/// balanced classes). That is how a run looks whose ReLUs have all died (a learning rate too
/// high, or badly normalised inputs): every example gives the same output, the bias learns the
/// class prior, and the run goes on without error.
struct CollapseCheck {
    /// The loss of the best constant prediction on the training labels.
    let baseline: Double
    let description: String
    /// How close to the baseline (relative) counts as sitting on it.
    static let tolerance = 0.01

    /// Nil when the baseline is 0 (one class only): then every model reaches it.
    init?(_ examples: ExampleSet, classes: Int, head: ModelSpec.Head) {
        let counts = examples.classCounts(classes: classes).map(Double.init)
        let n = Double(max(examples.count, 1))
        func entropy(_ p: Double) -> Double { p > 0 ? -p * log(p) : 0 }
        switch head {
        case .softmax:
            baseline = counts.reduce(0) { $0 + entropy($1 / n) }
            let balanced = Set(counts).count == 1
            description = balanced ? String(format: "ln(%d) = %.4f", classes, baseline)
                                   : String(format: "%.4f, the entropy of the class frequencies", baseline)
        case .sigmoid:
            baseline = counts.reduce(0) { $0 + entropy($1 / n) + entropy(1 - $1 / n) } / Double(max(classes, 1))
            description = String(format: "%.4f, the mean entropy of the label frequencies", baseline)
        }
        guard baseline > 0 else { return nil }
    }

    /// A warning when `record` (an epoch after the first) has its training loss on the baseline.
    func warning(after record: EpochRecord, learningRate: Double) -> String? {
        guard record.epoch >= 2, abs(record.loss - baseline) <= Self.tolerance * baseline else { return nil }
        let loss = String(format: "%.4f", record.loss)
        return "the training loss after epoch \(record.epoch) is \(loss), what a network that outputs the same for every input gets "
            + "(\(description)): the network has probably collapsed (all its ReLUs dead) and learns nothing from its input. "
            + "Try a lower --lr than \(learningRate), check the data's normalisation (mean and std), or try another --seed"
    }
}
