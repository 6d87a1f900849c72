import DatasetKit
@testable import NeuralKit

/// A whole network's weight gradients against finite differences along random directions.
///
/// Per-weight checks (`GradientCheck`) lose the signal in a deep network: one weight's effect
/// on the loss is below float32's rounding. Moving every weight of a parameter at once along a
/// random direction `d` sums their effects, so `(L(w + εd) - L(w - εd)) / 2ε` can be compared
/// with `gradient · d` closely. The loss is `ProbedNetwork`'s.
struct DirectionalGradientCheck {
    var spec: ModelSpec
    var batch = 2
    var seed: UInt64 = 11
    /// Step along the direction, relative to the parameter's mean absolute value.
    var relativeStep = 1e-3
    var directions = 2

    struct Slope: CustomStringConvertible {
        var parameter: String
        var analytic: Double, numeric: Double
        /// The one-sided slopes disagree by more than the rounding allows: the step crossed a
        /// ReLU or max-pool kink.
        var kinked: Bool
        var relativeError: Double { abs(analytic - numeric) / max(abs(numeric), 1e-12) }
        var description: String { "\(parameter): backward \(analytic), finite difference \(numeric)\(kinked ? " (kinked)" : "")" }
    }

    func run() throws -> [Slope] {
        var probe = try ProbedNetwork(spec: spec, batch: batch, seed: seed, item: "directional-gradient-check")
        let centre = try probe.lossAndGradients()
        var slopes: [Slope] = []
        for parameter in probe.network.parameters {
            let gradient = try parameter.plainGradient()
            let original = try parameter.plainValues()
            let scale = original.reduce(0.0) { $0 + abs(Double($1)) } / Double(original.count)
            let h = relativeStep * max(scale, 1e-2)
            for _ in 0..<directions {
                let direction = original.map { _ in probe.generator.uniform(-1...1) }
                func moved(by step: Double) throws -> Double {
                    try parameter.setPlainValues(zip(original, direction).map { Float(Double($0) + step * $1) })
                    return try probe.loss()
                }
                let plus = try moved(by: h), minus = try moved(by: -h)
                try parameter.setPlainValues(original)
                let analytic = zip(gradient, direction).reduce(0.0) { $0 + Double($1.0) * $1.1 }
                let right = (plus - centre) / h, left = (centre - minus) / h
                slopes.append(Slope(parameter: parameter.name, analytic: analytic, numeric: (plus - minus) / (2 * h),
                                    kinked: abs(right - left) > 0.05 * max(abs(right), abs(left))))
            }
        }
        return slopes
    }
}
