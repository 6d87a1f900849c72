import DatasetKit
import Foundation

/// The human-readable `stats` report: a table per split, then the corrupt files.
enum StatsText {
    /// The report's lines, without line ends (names in them are escaped on the way out).
    static func lines(_ stats: DatasetStats) -> [String] {
        var lines: [String] = []
        let kind = stats.multiLabel ? "multi-label" : "single-label"
        lines.append("\(stats.images) images in \(stats.splits.count) split\(stats.splits.count == 1 ? "" : "s"), "
                     + "\(stats.classes.count) classes (\(kind)), \(stats.corrupt) corrupt")
        let width = max(5, stats.classes.map(\.count).max() ?? 5)
        for split in stats.splits {
            lines.append("")
            let ratio = split.imbalanceRatio.map { String(format: "%.2f", $0) } ?? "n/a"
            lines.append("\(split.name): \(split.images) images, \(split.corrupt) corrupt, imbalance ratio \(ratio)")
            lines.append("  " + pad("class", width) + "  count   share")
            for c in split.classes {
                lines.append("  " + pad(c.name, width) + "  " + left(String(c.count), 5) + String(format: "  %5.1f%%", c.share * 100))
            }
            if let w = split.width, let h = split.height {
                lines.append("  size   width \(w.min)/\(number(w.median))/\(w.max), height \(h.min)/\(number(h.median))/\(h.max) (min/median/max)")
            }
            lines.append("  modes  " + counts(split.colorModes) + "; formats " + counts(split.formats))
            lines.append("  mean   " + triple(split.mean) + "  std " + triple(split.std) + " (RGB, 0-1, at \(stats.statisticsSize))")
        }
        if !stats.corruptFiles.isEmpty {
            lines.append("")
            lines.append("corrupt:")
            for problem in stats.corruptFiles { lines.append("  \(problem.path): \(problem.reason)") }
        }
        if !stats.skipped.isEmpty {
            lines.append("")
            lines.append("warnings:")  // files left out, and files counted with a note (a subfolder of a class)
            for problem in stats.skipped { lines.append("  \(problem.path): \(problem.reason)") }
        }
        return lines
    }

    private static func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
    private static func left(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
    private static func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
    private static func triple(_ v: [Double]) -> String { "[" + v.map { String(format: "%.4f", $0) }.joined(separator: ", ") + "]" }
    private static func counts(_ d: [String: Int]) -> String {
        d.isEmpty ? "-" : d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
