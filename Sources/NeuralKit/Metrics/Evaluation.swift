import Foundation

/// A model's evaluation on a labelled split: the report of its head's kind.
public enum Evaluation: Sendable, Equatable, Encodable {
    case singleLabel(ClassificationReport)
    case multiLabel(MultiLabelReport)

    /// Runs the model in `network` (with `document`'s normalisation) over `examples` and scores
    /// its predictions: argmax for softmax heads, probability >= `threshold` for sigmoid heads.
    public static func run(network: Network, document: ModelDocument, examples: ExampleSet, threshold: Double) throws -> Evaluation {
        try Self.check(examples, fits: document)
        let logits = try Evaluator(network: network, normalization: document.data.normalization).logits(examples)
        let classes = document.data.classes
        let c = classes.count
        switch examples.labels.batch(examples.indices) {
        case .classes(let truth):
            let predicted = (0..<examples.count).map { row in
                (0..<c).max { logits[row * c + $0] < logits[row * c + $1] } ?? 0
            }
            return .singleLabel(ClassificationReport(classNames: classes, truth: truth, predicted: predicted))
        case .multiHot(let truth, _):
            let predicted = logits.map { SigmoidBinaryCrossEntropy.sigmoid(Double($0)) >= threshold ? UInt8(1) : 0 }
            return .multiLabel(MultiLabelReport(classNames: classes, truth: truth, predicted: predicted))
        }
    }

    /// Refuses data the model was not made for.
    static func check(_ examples: ExampleSet, fits document: ModelDocument) throws {
        guard examples.input == document.architecture.input else {
            throw DataError.mismatch("the model reads \(document.architecture.input), the data holds \(examples.input)")
        }
        guard examples.labels.isMultiLabel == document.data.multiLabel else {
            throw DataError.mismatch("the model is \(document.data.multiLabel ? "multi" : "single")-label, the data is not")
        }
        let classes = document.data.classes.count
        switch examples.labels {
        case .multiHot(_, let width):
            guard width == classes else { throw DataError.mismatch("the data has \(width) labels, the model \(classes)") }
        case .classes(let labels):
            if let bad = examples.indices.lazy.map({ labels[$0] }).first(where: { !(0..<classes).contains($0) }) {
                throw DataError.mismatch("the data has label \(bad); the model knows \(classes) classes (0-\(classes - 1))")
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .singleLabel(let report): try report.encode(to: encoder)
        case .multiLabel(let report): try report.encode(to: encoder)
        }
    }
}
