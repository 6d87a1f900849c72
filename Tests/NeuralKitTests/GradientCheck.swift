import DatasetKit
@testable import NeuralKit

/// Finite-difference checks of a network's weight gradients.
///
/// The loss is `L = Σ logits · R` for a fixed random `R`, so dL/dlogits = R and every layer's
/// backward pass is exercised. Each checked weight is moved by ±eps; where the two one-sided
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
        let engine = try ComputeEngine(threads: 2)
        let network = try Network(spec: spec, batchSize: batch, training: true, engine: engine, seed: seed)
        var generator = SeededGenerator(seed: seed, item: "gradient-check")
        for i in 0..<network.input.capacity { network.input.floats[i] = Float(generator.uniform(-1...1)) }
        let weights = (0..<network.logits.capacity).map { _ in Float(generator.uniform(-1...1)) }
        func loss() throws -> Double {
            try network.forward(training: true, step: 0)
            return (0..<weights.count).reduce(0.0) { $0 + Double(network.logits.floats[$1]) * Double(weights[$1]) }
        }
        _ = try loss()
        for i in weights.indices { network.logitsGradient!.floats[i] = weights[i] }
        try network.backward()
        var outcome = Outcome(implementations: network.layers.flatMap(\.implementations))
        for parameter in network.parameters {
            let analytic = try parameter.plainGradient()
            let original = try parameter.plainValues()
            let picks = (0..<min(weightsPerParameter, original.count)).map { _ in Int(generator.next() % UInt64(original.count)) }
            for index in Set(picks).sorted() {
                var values = original
                values[index] = original[index] + eps
                try parameter.setPlainValues(values)
                let plus = try loss()
                values[index] = original[index] - eps
                try parameter.setPlainValues(values)
                let minus = try loss()
                try parameter.setPlainValues(original)
                let centre = try loss()
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
