import Foundation

/// Softmax then categorical cross-entropy (Keras' `softmax` output with
/// `categorical_crossentropy`), computed stably from the logits.
public struct SoftmaxCrossEntropy: Loss {
    public init() {}

    public func evaluate(logits: UnsafePointer<Float>, classes: Int, rows: Int, batch: Int, labels: BatchLabels,
                         gradient: UnsafeMutablePointer<Float>?) -> LossValue {
        guard case .classes(let targets) = labels else { preconditionFailure("softmax cross-entropy takes class labels") }
        precondition(targets.count >= rows, "\(targets.count) labels for \(rows) rows")
        var value = LossValue()
        let scale = 1 / Float(max(rows, 1))
        for row in 0..<rows {
            let z = logits + row * classes
            let target = targets[row]
            var best = 0
            var top = z[0]
            for k in 1..<classes where z[k] > top { (best, top) = (k, z[k]) }
            var sum = 0.0
            for k in 0..<classes { sum += exp(Double(z[k] - top)) }
            let logSum = log(sum)
            value.loss += logSum - Double(z[target] - top)
            if best == target { value.correct += 1 }
            if let gradient {
                let g = gradient + row * classes
                for k in 0..<classes {
                    let p = Float(exp(Double(z[k] - top) - logSum))
                    g[k] = (p - (k == target ? 1 : 0)) * scale
                }
            }
        }
        if let gradient, batch > rows { (gradient + rows * classes).update(repeating: 0, count: (batch - rows) * classes) }
        return value
    }

    /// Probabilities of one row of logits.
    public static func probabilities(_ logits: some Collection<Float>) -> [Double] {
        let top = Double(logits.max() ?? 0)
        let e = logits.map { exp(Double($0) - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}
