import Foundation

/// A sigmoid per class then binary cross-entropy averaged over the classes (Keras' `sigmoid`
/// output with `binary_crossentropy`), computed stably from the logits:
/// `max(z, 0) - z·y + log(1 + e^-|z|)`.
public struct SigmoidBinaryCrossEntropy: Loss {
    public init() {}

    public func evaluate(logits: UnsafePointer<Float>, classes: Int, rows: Int, batch: Int, labels: BatchLabels,
                         gradient: UnsafeMutablePointer<Float>?) -> LossValue {
        guard case .multiHot(let targets, let width) = labels, width == classes else {
            preconditionFailure("binary cross-entropy takes multi-hot labels of \(classes) classes")
        }
        precondition(targets.count >= rows * classes, "\(targets.count) label values for \(rows) rows")
        var value = LossValue()
        let scale = 1 / Float(max(rows, 1) * classes)
        for row in 0..<rows {
            var loss = 0.0, hits = 0
            for k in 0..<classes {
                let z = Double(logits[row * classes + k])
                let y = Double(targets[row * classes + k])
                loss += max(z, 0) - z * y + log1p(exp(-abs(z)))
                // Keras' binary_accuracy: probability > 0.5, i.e. logit > 0.
                if (z > 0) == (y > 0.5) { hits += 1 }
                if let gradient { gradient[row * classes + k] = Float(Self.sigmoid(z) - y) * scale }
            }
            value.loss += loss / Double(classes)
            value.correct += Double(hits) / Double(classes)
        }
        if let gradient, batch > rows { (gradient + rows * classes).update(repeating: 0, count: (batch - rows) * classes) }
        return value
    }

    /// The logistic function, stable for large |z|.
    public static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }
}
