import Foundation
import Testing
@testable import NeuralKit

@Suite struct LossTests {
    /// d(mean loss)/d(logits) against central differences in Double, and the padding rows zero.
    static func checkGradient(_ loss: any Loss, logits: [Float], classes: Int, rows: Int, batch: Int, labels: BatchLabels) {
        var gradient = [Float](repeating: 9, count: batch * classes)
        let value = logits.withUnsafeBufferPointer { l in
            gradient.withUnsafeMutableBufferPointer { g in
                loss.evaluate(logits: l.baseAddress!, classes: classes, rows: rows, batch: batch, labels: labels, gradient: g.baseAddress!)
            }
        }
        func mean(_ z: [Float]) -> Double {
            z.withUnsafeBufferPointer { loss.evaluate(logits: $0.baseAddress!, classes: classes, rows: rows, batch: batch, labels: labels, gradient: nil).loss } / Double(rows)
        }
        #expect(abs(mean(logits) - value.loss / Double(rows)) < 1e-12)
        for i in 0..<(rows * classes) {
            var plus = logits, minus = logits
            plus[i] += 1e-2
            minus[i] -= 1e-2
            let numeric = (mean(plus) - mean(minus)) / 2e-2
            #expect(abs(numeric - Double(gradient[i])) < 1e-4, "logit \(i): \(gradient[i]) vs \(numeric)")
        }
        #expect(gradient[(rows * classes)...].allSatisfy { $0 == 0 }, "padding rows get no gradient")
    }

    @Test func softmaxCrossEntropyValue() {
        // Uniform logits over 4 classes: loss log 4 per row; argmax (first) hits label 0.
        let logits: [Float] = [0, 0, 0, 0, 2, 1, 0, -1]
        let value = logits.withUnsafeBufferPointer {
            SoftmaxCrossEntropy().evaluate(logits: $0.baseAddress!, classes: 4, rows: 2, batch: 2, labels: .classes([0, 1]), gradient: nil)
        }
        let second = log(exp(2.0) + exp(1) + exp(0) + exp(-1)) - 1
        #expect(abs(value.loss - (log(4) + second)) < 1e-9)
        #expect(value.correct == 1)
    }

    @Test func softmaxCrossEntropyGradient() {
        let logits: [Float] = [0.3, -1.2, 2.0, 0.1, 0.5, 0.5, 1.5, -0.7, 0.0, 0, 0, 0]
        Self.checkGradient(SoftmaxCrossEntropy(), logits: logits, classes: 3, rows: 3, batch: 4, labels: .classes([2, 0, 1]))
    }

    @Test func sigmoidBinaryCrossEntropyValue() {
        // z = 0: log 2 per value; z = 3 with y = 1: log(1 + e^-3); z = -2 with y = 1: 2 + log(1 + e^-2).
        let logits: [Float] = [0, 3, -2]
        let value = logits.withUnsafeBufferPointer {
            SigmoidBinaryCrossEntropy().evaluate(logits: $0.baseAddress!, classes: 3, rows: 1, batch: 1,
                                                 labels: .multiHot([0, 1, 1], classes: 3), gradient: nil)
        }
        let expected = (log(2.0) + log1p(exp(-3.0)) + 2 + log1p(exp(-2.0))) / 3
        #expect(abs(value.loss - expected) < 1e-9)
        // Keras' binary accuracy: z = 0 is not > 0, so label 0 is right; 3 > 0 right; -2 wrong.
        #expect(abs(value.correct - 2.0 / 3) < 1e-12)
    }

    @Test func sigmoidBinaryCrossEntropyGradient() {
        let logits: [Float] = [0.3, -1.2, 2.0, 0.1, 8, -9, 0, 0, 0]
        Self.checkGradient(SigmoidBinaryCrossEntropy(), logits: logits, classes: 3, rows: 2, batch: 3,
                           labels: .multiHot([1, 0, 1, 0, 1, 0], classes: 3))
    }
}
