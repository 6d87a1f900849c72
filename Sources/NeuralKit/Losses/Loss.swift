/// The labels of one batch, in the network's row order.
public enum BatchLabels: Sendable {
    /// One class index per row.
    case classes([Int])
    /// `classes` 0/1 values per row, row after row.
    case multiHot([UInt8], classes: Int)
}

/// A batch's loss and hits, summed over its real rows (the caller divides by the rows seen).
public struct LossValue: Sendable, Equatable {
    /// Σ per-example loss.
    public var loss: Double = 0
    /// Σ per-example accuracy: 1 for a correct argmax (single-label), the fraction of labels
    /// right at the 0.5 threshold (multi-label, Keras' `binary_accuracy`).
    public var correct: Double = 0

    public static func + (a: LossValue, b: LossValue) -> LossValue { LossValue(loss: a.loss + b.loss, correct: a.correct + b.correct) }
}

/// A loss on logits: its value, and the gradient of its batch mean with respect to the logits.
public protocol Loss: Sendable {
    /// Reads the first `rows` rows of `logits` (`(batch, classes)`, row-major); when `gradient`
    /// is given, writes d(mean loss)/d(logits) there, with zeros for rows past `rows` (the
    /// padding of a short last batch).
    func evaluate(logits: UnsafePointer<Float>, classes: Int, rows: Int, batch: Int, labels: BatchLabels,
                  gradient: UnsafeMutablePointer<Float>?) -> LossValue
}

extension ModelSpec.Head {
    /// The loss that goes with the head.
    public var loss: any Loss {
        switch self {
        case .softmax: SoftmaxCrossEntropy()
        case .sigmoid: SigmoidBinaryCrossEntropy()
        }
    }
}
