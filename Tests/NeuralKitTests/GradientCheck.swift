import DatasetKit
@testable import NeuralKit

/// Finite-difference checks of a network's weight gradients.
///
/// The loss is `ProbedNetwork`'s. Each checked weight is moved by ±eps; where the two one-sided
/// slopes disagree the move crossed a ReLU or max-pool kink and the point is skipped.
struct GradientCheck {
    var spec: ModelSpec
    var batch = 2
    var seed: UInt64 = 7
    var eps: Float = 2e-3
    var weightsPerParameter = 10

    struct Mismatch: CustomStringConvertible {
        var parameter: String, index: Int, analytic: Double, numeric: Double
        var description: String { "\(parameter)[\(index)]: backward \(analytic), finite difference \(numeric)" }
    }

    struct Outcome {
        var checked = 0
        var skipped = 0
        var mismatches: [Mismatch] = []
        /// oneDNN's implementations of the network's primitives.
        var implementations: [String] = []
    }

    func run() throws -> Outcome {
        var probe = try ProbedNetwork(spec: spec, batch: batch, seed: seed, item: "gradient-check")
        let network = probe.network
        // The forward pass repeats exactly (fixed threads, fixed dropout masks), so the loss at
        // the unmoved weights is this one.
        let centre = try probe.lossAndGradients()
        var outcome = Outcome(implementations: network.layers.flatMap(\.implementations))
        for parameter in network.parameters {
            let analytic = try parameter.plainGradient()
            let original = try parameter.plainValues()
            let picks = (0..<min(weightsPerParameter, original.count)).map { _ in Int(probe.generator.next() % UInt64(original.count)) }
            for index in Set(picks).sorted() {
                var values = original
                values[index] = original[index] + eps
                try parameter.setPlainValues(values)
                let plus = try probe.loss()
                values[index] = original[index] - eps
                try parameter.setPlainValues(values)
                let minus = try probe.loss()
                try parameter.setPlainValues(original)
                let h = Double(eps)
                let right = (plus - centre) / h, left = (centre - minus) / h
                let numeric = (plus - minus) / (2 * h), value = Double(analytic[index])
                let tolerance = 1e-2 + 2e-2 * abs(numeric)
                // A kink between the two sides shows as one-sided slopes that disagree (rounding
                // alone moves them by a few 1e-3).
                if abs(right - left) > tolerance {
                    outcome.skipped += 1
                    continue
                }
                outcome.checked += 1
                if abs(numeric - value) > tolerance {
                    outcome.mismatches.append(Mismatch(parameter: parameter.name, index: index, analytic: value, numeric: numeric))
                }
            }
        }
        return outcome
    }
}
