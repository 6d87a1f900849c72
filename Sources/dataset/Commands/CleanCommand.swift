import ArgumentParser
import DatasetKit
import Foundation

extension DedupeMode: ExpressibleByArgument {}

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Find unreadable, truncated, empty, misnamed, non-RGB, tiny, duplicate and leaked images; quarantine or fix them.",
        discussion: """
            Every image file (by extension) is decoded once. Findings: zero-byte, truncated, \
            unreadable, misnamed (a PNG called .jpg), non-rgb (CMYK, grayscale, palette, alpha, \
            16-bit), tiny (--min-size), exact-duplicate (same bytes), near-duplicate (--dedupe \
            near: looks the same by perceptual hash), leak (the same image in two splits of a \
            <split>/<class>/<file> tree; the train copy stays).

            Without --quarantine nothing is changed: the findings are listed. With it, each \
            offender moves into that folder under its relative path (nothing is deleted; a \
            rerun finishes an interrupted move). --fix rewrites misnamed and non-RGB images as \
            RGB JPEG (<stem>.jpg) in place and quarantines the originals.
            A folder that cannot be read is reported as an error (exit status 1); the rest is checked.
            --strict: exit 1 when anything is found (for CI checks).

            --shard I/N: the worker decodes and checks its part of the files; exact duplicates \
            and leaks compare every file with every other, so it also reads and hashes (without \
            decoding) the other files, and reports the findings on its own: N workers report \
            what one run reports. --dedupe near needs every image decoded and --quarantine would \
            move files other workers are still reading: both are refused with --shard.

            Examples:
              dataset clean food-101-split
              dataset clean train-test --dedupe near --quarantine rejects
              dataset clean products --quarantine rejects --fix --min-size 64
              dataset clean food-101-split --shard 0/4 --json > findings-0.json
            """
    )

    @Argument(help: "Dataset folder.")
    var source: String

    @Option(help: ArgumentHelp("Move offenders here, keeping their relative paths (default: only report).", valueName: "folder"))
    var quarantine: String?

    @Option(help: "Duplicates to look for: none (leaks across splits only), exact (same bytes) or near (also images that look the same).")
    var dedupe: DedupeMode = .exact

    @Option(help: "Most differing bits (of 64) of the perceptual hash for a near duplicate.")
    var nearThreshold: Int = 6

    @Option(help: "Images with a side shorter than this many pixels are tiny.")
    var minSize: Int = 32

    @Flag(help: "Rewrite misnamed and non-RGB images as RGB JPEG instead of quarantining them (the originals go to the quarantine).")
    var fix = false

    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions
    @OptionGroup(title: "Scale out") var shard: ShardFlags

    func validate() throws {
        guard FileIO.isDirectory(source) else { throw ValidationError("source '\(source)' is not a folder.") }
        if fix && quarantine == nil { throw ValidationError("--fix needs --quarantine: the originals are kept there.") }
        if let quarantine, let a = FileTree.canonical(source), let b = FileTree.canonical(quarantine), a == b {
            throw ValidationError("--quarantine must differ from the dataset folder.")
        }
        guard (0...32).contains(nearThreshold) else { throw ValidationError("--near-threshold must be 0-32 bits (got \(nearThreshold)).") }
        guard minSize >= 0 else { throw ValidationError("--min-size must be 0 or more (got \(minSize)).") }
        if shard.shard != nil {
            guard dedupe != .near else {
                throw ValidationError("--dedupe near compares every decoded image with every other and cannot be split with --shard: use --dedupe exact or none, or run it without --shard.")
            }
            guard quarantine == nil else {
                throw ValidationError("--quarantine moves files that other --shard workers may still be reading: find with --shard, then quarantine in one run without it.")
            }
        }
    }

    /// The `--json` report.
    struct Report: Codable {
        var checked: Int
        /// The part checked under `--shard`.
        var shard: WorkShard.Coverage?
        var counts: [String: Int]
        var findings: [CleanFinding]
        /// Subfolders and entries that could not be read: their images were not checked.
        var unreadable: [Problem]
        var actions: CleanJob.Actions?
        var seconds: Double
    }

    func run() throws {
        let start = Date()
        let tree: FileTree
        do { tree = try FileTree(root: source, excluding: quarantine.map { [$0] } ?? []) } catch { throw commandFailure(error) }
        let job = CleanJob(finder: CleanFinder(minSize: minSize, dedupe: dedupe, nearThreshold: nearThreshold), decode: decode.options)
        let part = shard.workShard
        // Under --shard each unreadable folder is reported by one worker.
        let unreadable = part.map { part in tree.problems.filter { part.owns($0, under: tree.root) } } ?? tree.problems
        let progress = ProgressReporter(label: "clean", total: tree.images.count, style: runOptions.quiet ? .quiet : nil)
        let facts = job.inspect(tree, jobs: runOptions.jobs, shard: part, progress: progress)
        let elsewhere = part.map { job.contentHashes(tree, outside: $0, jobs: runOptions.jobs, progress: progress) } ?? []
        progress.finish()
        let findings = job.finder.findings(facts, elsewhere: elsewhere)
        let coverage = part.map { WorkShard.Coverage(shard: $0, items: facts.count, total: tree.images.count) }
        let actions = quarantine.map { job.apply(findings, root: tree.root, quarantine: FileTree.normalise($0), fix: fix) }
        var counts: [String: Int] = [:]
        for finding in findings { counts[finding.kind.rawValue, default: 0] += 1 }
        let report = Report(checked: facts.count, shard: coverage, counts: counts, findings: findings, unreadable: unreadable,
                            actions: actions, seconds: Date().timeIntervalSince(start))
        if runOptions.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            let width = CleanFinding.Kind.allCases.map(\.rawValue.count).max() ?? 0
            let lines = findings.map { $0.kind.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  \($0.path): \($0.reason)" }
            ReportLines.write(lines, to: .standardOutput)
        }
        let scope = coverage.map { "shard \($0.shard): \($0.items) of \($0.total)" } ?? "\(facts.count)"
        var summary = "clean: \(scope) images checked, \(findings.count) finding\(findings.count == 1 ? "" : "s")"
        if !counts.isEmpty { summary += " (" + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")" }
        ReportLines.write(unreadable.map { "error: \($0)" })
        if !unreadable.isEmpty { summary += ", \(unreadable.count) unreadable (not checked)" }
        if let actions {
            summary += "; \(actions.moved.count) moved to \(quarantine!), \(actions.fixed.count) fixed"
            ReportLines.write(actions.failures.map { "error: \($0)" })
            if !actions.failures.isEmpty { summary += ", \(actions.failures.count) failed" }
        } else if !findings.isEmpty {
            summary += "; nothing changed (--quarantine DIR to move them)"
        }
        ReportLines.write(summary + String(format: " in %.1f s", report.seconds))
        if actions.map({ !$0.failures.isEmpty }) == true || !unreadable.isEmpty || (runOptions.strict && !findings.isEmpty) {
            throw ExitCode(1)
        }
    }
}
