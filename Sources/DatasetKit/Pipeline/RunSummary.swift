import Foundation

/// The end-of-run report every file command prints: counts, timing, and each failure with its
/// reason. Encodes to the `--json` summary.
public struct RunSummary: Sendable, Codable, Equatable {
    public var command: String
    public var total: Int
    public var done: Int
    public var skipped: Int
    public var failed: Int
    /// Items not attempted because `--strict` stopped the run.
    public var notAttempted: Int
    public var seconds: Double
    public var itemsPerSecond: Double
    public var failures: [Problem]
    public var warnings: [Problem]
    /// The part of the input this run did under `--shard I/N`; nil for a whole run.
    public var shard: WorkShard.Coverage?

    public init(command: String, paths: [String], outcomes: [ItemOutcome?], seconds: Double) {
        self.command = command
        self.total = paths.count
        var done = 0, skipped = 0, notAttempted = 0
        var failures: [Problem] = [], warnings: [Problem] = []
        for (path, outcome) in zip(paths, outcomes) {
            switch outcome {
            case .done(let warning)?:
                done += 1
                if let warning { warnings.append(Problem(path: path, reason: warning)) }
            case .skipped?: skipped += 1
            case .failed(let reason)?: failures.append(Problem(path: path, reason: reason))
            case nil: notAttempted += 1
            }
        }
        self.done = done
        self.skipped = skipped
        self.failed = failures.count
        self.notAttempted = notAttempted
        self.seconds = seconds
        self.itemsPerSecond = seconds > 0 ? Double(done) / seconds : 0
        self.failures = failures
        self.warnings = warnings
    }

    /// True when nothing failed.
    public var succeeded: Bool { failed == 0 && notAttempted == 0 }

    /// One line for humans: `resize: 2000 done, 3 skipped, 1 failed in 0.9 s (2222/s)`.
    public var line: String {
        var parts = ["\(done) done"]
        if skipped > 0 { parts.append("\(skipped) skipped (already there)") }
        if failed > 0 { parts.append("\(failed) failed") }
        if notAttempted > 0 { parts.append("\(notAttempted) not attempted (--strict)") }
        if !warnings.isEmpty { parts.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")") }
        let rate = done > 0 ? String(format: " (%.0f/s)", itemsPerSecond) : ""
        let part = shard.map { "shard \($0.shard): \($0.items) of \($0.total) \($0.unit); " } ?? ""
        return "\(command): " + part + parts.joined(separator: ", ") + String(format: " in %.1f s", seconds) + rate
    }
}
