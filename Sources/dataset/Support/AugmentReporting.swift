import ArgumentParser
import DatasetKit
import Foundation

/// `augment`'s report: the count per class and the usual summary on stderr, and with `--json` the
/// summary with a `classes` array on stdout.
enum AugmentReporting {
    static func print(_ report: AugmentReport, options: RunOptions) throws {
        var lines: [String] = []
        for count in report.classes {
            var parts = ["\(count.keptOriginals) original\(count.keptOriginals == 1 ? "" : "s")", "\(count.copies) cop\(count.copies == 1 ? "y" : "ies")"]
            if count.unreadable > 0 { parts.append("\(count.unreadable) unreadable left out") }
            if count.failed > 0 { parts.append("\(count.failed) not written") }
            lines.append("augment: \(count.name): \(count.images) image\(count.images == 1 ? "" : "s") (" + parts.joined(separator: ", ") + ")")
        }
        ReportLines.write(lines)
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(SummaryWithClasses(summary: report.summary, classes: report.classes)) + Data("\n".utf8))
        }
        var plain = options
        plain.json = false
        try FileJob.report(report.summary, options: plain)
    }

    /// Prints `error: message` and gives exit status 1 (a run that could not go on).
    static func failure(_ message: String) -> ExitCode { commandFailure(message) }

    /// The run summary's keys plus `classes`, in one object.
    struct SummaryWithClasses: Encodable {
        var summary: RunSummary
        var classes: [ClassCount]

        enum Keys: String, CodingKey { case classes }

        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(classes, forKey: .classes)
        }
    }
}
