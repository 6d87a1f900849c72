import DatasetKit
import Foundation

/// What `dataset split --dry-run` prints: the plan's counts, its problems and its first few
/// files, on stdout (or the would-be `split.json` with `--json`).
enum SplitPlanPrinter {
    static let shownProblems = 20
    static let shownItems = 5

    static func printDryRun(_ plan: SplitPlan, report: SplitReport, sourceRoot: String, output: String,
                            note: String?, json: Bool) {
        if json {
            FileHandle.standardOutput.write(Data(report.encoded()))
            return
        }
        var lines = ["split (dry run): \(report.layout.rawValue) at \(sourceRoot) -> \(output), mode \(report.mode.rawValue)"]
        if let note { lines.append("  \(note)") }
        lines.append("  classes: \(plan.classes.count) (\(preview(plan.classes)))")
        let counts = plan.counts
        let width = plan.splits.map(\.count).max() ?? 0
        for split in plan.splits {
            let perClass = plan.classes.map { counts[split]?[$0] ?? 0 }
            let (low, high) = (perClass.min() ?? 0, perClass.max() ?? 0)
            let range = perClass.isEmpty ? "" : low == high ? "; \(low) per class" : "; \(low)-\(high) per class"
            lines.append("  \(split.padding(toLength: width, withPad: " ", startingAt: 0))  \(report.totals[split] ?? 0) files\(range)")
        }
        if plan.problems.isEmpty {
            lines.append("  no problems found")
        } else {
            let kinds = SplitProblem.Kind.allCases.compactMap { kind in report.problems[kind.rawValue].map { "\($0) \(kind.rawValue)" } }
            lines.append("  problems: " + kinds.joined(separator: ", "))
            lines += problemLines(plan.problems, label: "  ")
        }
        for item in plan.items.prefix(shownItems) {
            lines.append("  \(sourceRoot)/\(item.source) -> \(output)/\(item.destination)")
        }
        if plan.items.count > shownItems { lines.append("  ... and \(plan.items.count - shownItems) more") }
        lines.append("nothing written (--dry-run)")
        ReportLines.write(lines, to: .standardOutput)
    }

    /// Prints problems on stderr, `label: path: detail`, the first few of them.
    static func printProblems(_ problems: [SplitProblem], label: String) {
        ReportLines.write(problemLines(problems, label: label + ": "))
    }

    private static func problemLines(_ problems: [SplitProblem], label: String) -> [String] {
        var lines = problems.prefix(shownProblems).map { "\(label)\($0.kind.rawValue): \($0.path): \($0.detail)" }
        if problems.count > shownProblems { lines.append("\(label)... and \(problems.count - shownProblems) more") }
        return lines
    }

    private static func preview(_ names: [String]) -> String {
        names.count <= 6 ? names.joined(separator: ", ") : names.prefix(5).joined(separator: ", ") + ", ..."
    }
}
