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

    /// Whether an epoch's training loss sits on the baseline.
    func sits(_ record: EpochRecord) -> Bool { abs(record.loss - baseline) <= Self.tolerance * baseline }

    /// Whether the first `rows` rows of `logits` are all equal: outputs that do not depend on
    /// the input. Once every ReLU of a layer is dead, each example gives the same logits exactly.
    static func sameForEveryRow(_ logits: UnsafePointer<Float>, rows: Int, classes: Int) -> Bool {
        for row in 1..<max(rows, 1) {
            for k in 0..<classes where logits[row * classes + k] != logits[k] { return false }
        }
        return true
    }

    /// A warning after an epoch past the first in which the network gave the same output for
    /// every example (`sameOutputs`), or when the loss has stayed on the baseline: for the last
    /// two epochs after the first, or for the last one when the run ends there. (The first
    /// epoch starts there in any run, and one epoch on a plateau is how many runs that then
    /// learn begin.)
    func warning(after epochs: [EpochRecord], sameOutputs: Bool, runEnds: Bool, learningRate: Double) -> String? {
        guard let last = epochs.last, last.epoch >= 2 else { return nil }
        let flat = epochs.dropFirst().reversed().prefix(while: sits).count
        let what: String
        if sameOutputs {
            what = "in epoch \(last.epoch) the network gave the same output for every example (loss "
                + "\(String(format: "%.4f", last.loss)); a constant prediction's is \(description))"
        } else if flat >= 2 || (runEnds && flat >= 1) {
            what = "the training loss after epoch \(last.epoch) is \(String(format: "%.4f", last.loss)), "
                + "what a network that outputs the same for every input gets (\(description))"
        } else {
            return nil
        }
        let remedy = "try a lower --lr than \(learningRate), check the data's normalisation (mean and std), or try another --seed"
        return sameOutputs
            ? what + ": it has learned nothing from its input, and if its ReLUs have died (collapsed) it never will; " + remedy
            : what + ": it has learned nothing from its input yet. A short run may only need more epochs; if the loss "
                + "stays there, its ReLUs may have died (collapsed): " + remedy
    }
}
