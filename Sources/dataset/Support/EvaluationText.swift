import DatasetKit
import Foundation
import NeuralKit

/// The evaluation as scikit-learn's `classification_report` prints it (rows sorted by F1, as
/// the Food-101 tutorial's table), with the multi-label summary first for multi-label models.
enum EvaluationText {
    static func table(_ evaluation: Evaluation) -> String {
        switch evaluation {
        case .singleLabel(let report):
            let width = nameWidth(report.classes)
            var rows = report.classesByF1.map { row($0, width: width) }
            rows.append("")
            rows.append(pad("accuracy", width) + String(repeating: " ", count: 24) + cell(report.accuracy) + String(format: "%10d", report.examples))
            rows += [report.macro, report.weighted].map { row($0, width: width) }
            return header(width) + rows.joined(separator: "\n") + "\n"
        case .multiLabel(let report):
            let width = nameWidth(report.labels)
            var text = String(format: "samples F1 %.4f (precision %.4f, recall %.4f)  exact match %.4f  Hamming loss %.4f  (%d examples)\n\n",
                              report.samplesF1, report.samplesPrecision, report.samplesRecall, report.exactMatch,
                              report.hammingLoss, report.examples)
            let sorted = report.labels.enumerated().sorted { ($0.element.f1, -$0.offset) > ($1.element.f1, -$1.offset) }.map(\.element)
            text += header(width) + sorted.map { row($0, width: width) }.joined(separator: "\n") + "\n\n"
            text += [report.micro, report.macro, report.weighted].map { row($0, width: width) }.joined(separator: "\n") + "\n"
            return text
        }
    }

    private static func nameWidth(_ rows: [ClassMetrics]) -> Int { max(12, rows.map { printableName($0.name).count }.max() ?? 0) }

    private static func header(_ width: Int) -> String {
        pad("", width) + pad("precision", 12) + pad("recall", 12) + pad("f1-score", 12) + pad("support", 10) + "\n\n"
    }

    private static func row(_ m: ClassMetrics, width: Int) -> String {
        // Class names come from the model or manifest: escaped so one cannot break the table.
        pad(printableName(m.name), width) + cell(m.precision) + cell(m.recall) + cell(m.f1) + String(format: "%10d", m.support)
    }

    private static func cell(_ value: Double) -> String { String(format: "%12.4f", value) }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
