import ArgumentParser
import DatasetKit
import Foundation

/// Runs a planned list of file mappings in parallel with progress, then reports: a one-line
/// summary and the failures on stderr, `--json` on stdout, and the exit status.
enum FileJob {
    /// With `shard`, only that worker's part of the mappings (by source path) is run, and of
    /// `planFailures` (an unreadable subfolder) only the ones it owns are reported.
    static func run(command: String, mappings: [FileMapping], sourceRoot: String, destinationRoot: String,
                    options: RunOptions, shard: WorkShard? = nil, planFailures: [Problem] = [],
                    body: @escaping @Sendable (_ source: String, _ destination: String) -> ItemOutcome) throws {
        let mine = shard.map { $0.filter(mappings, path: \.source) } ?? mappings
        let failures = shard.map { shard in planFailures.filter { shard.owns($0, under: sourceRoot) } } ?? planFailures
        var (summary, _) = try execute(command: command, mappings: mine, sourceRoot: sourceRoot,
                                       destinationRoot: destinationRoot, options: options,
                                       planFailures: failures, body: body)
        summary.shard = shard.map { WorkShard.Coverage(shard: $0, items: mine.count, total: mappings.count) }
        try report(summary, options: options)
    }

    /// Runs the mappings and returns the summary and each mapping's outcome (nil: not attempted),
    /// without reporting, for commands that write something from the results (an index file)
    /// before `report`. `planFailures` and `planWarnings`, found while planning (a CSV row with
    /// no image), join the summary ahead of the per-file ones.
    static func execute(command: String, mappings: [FileMapping], sourceRoot: String, destinationRoot: String,
                        options: RunOptions, planFailures: [Problem] = [], planWarnings: [Problem] = [],
                        body: @escaping @Sendable (_ source: String, _ destination: String) -> ItemOutcome) throws -> (RunSummary, [ItemOutcome?]) {
        // Folders first, on one thread, so workers never race to create them.
        let folders = Set(mappings.map { mapping -> String in
            let parts = mapping.destination.split(separator: "/").dropLast()
            return ([destinationRoot] + parts.map(String.init)).joined(separator: "/")
        })
        for folder in folders.sorted() {
            do { try FileIO.createDirectories(folder) } catch {
                // CleanExit would exit 0; a folder we cannot create is a failed run.
                throw commandFailure(error)
            }
        }
        let progress = ProgressReporter(label: command, total: mappings.count, style: options.quiet ? .quiet : nil)
        let start = Date()
        // Under --strict a failure found while planning stops the run before any file is written.
        let stopNow = options.strict && !planFailures.isEmpty
        let outcomes = stopNow ? [ItemOutcome?](repeating: nil, count: mappings.count)
            : ParallelRunner.run(count: mappings.count, jobs: options.jobs, stopOnFailure: options.strict,
                                 progress: progress) { index in
                let mapping = mappings[index]
                return body(sourceRoot + "/" + mapping.source, destinationRoot + "/" + mapping.destination)
            }
        progress.finish()
        var summary = RunSummary(command: command, paths: mappings.map { sourceRoot + "/" + $0.source },
                                 outcomes: outcomes, seconds: Date().timeIntervalSince(start))
        summary.total += planFailures.count
        summary.failed += planFailures.count
        summary.failures = planFailures + summary.failures
        summary.warnings = planWarnings + summary.warnings
        return (summary, outcomes)
    }

    /// Prints the summary and turns failures into exit status 1.
    static func report(_ summary: RunSummary, options: RunOptions) throws {
        var lines: [String] = []
        let shown = 50
        for problem in summary.warnings.prefix(shown) { lines.append("warning: \(problem)") }
        if summary.warnings.count > shown { lines.append("warning: ... and \(summary.warnings.count - shown) more (see --json)") }
        for problem in summary.failures.prefix(shown) { lines.append("error: \(problem)") }
        if summary.failures.count > shown { lines.append("error: ... and \(summary.failures.count - shown) more (see --json)") }
        lines.append(summary.line)
        ReportLines.write(lines)
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(summary) {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        }
        if !summary.succeeded { throw ExitCode(1) }
    }
}
