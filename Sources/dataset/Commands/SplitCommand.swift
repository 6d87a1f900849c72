import ArgumentParser
import DatasetKit
import Foundation

extension LayoutKind: ExpressibleByArgument {}

struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Sort a dataset into <split>/<class>/ folders: its published split, or a stratified one by ratios.",
        discussion: """
            Layouts (--from, detected by default):
              food101    food-101/images + meta/{classes.txt,train.json,test.json} (or the .txt lists) \
            -> OUT/train, OUT/test. ROOT may be the food-101 folder or its parent.
              recipes5k  Recipes5k/images + annotations/{train,val,test}_images.txt -> OUT/train, val, test.
              folders    <class>/<file> (needs --ratios or --val-fraction) or <split>/<class>/<file> \
            (split folders train/training, val/valid/validation, test/testing in any case, written as \
            train, val, test; an image in a subfolder of a class folder stays in that class, with a warning).

            --ratios re-splits any layout: each class's files are shuffled from --seed and cut so every \
            class keeps the fractions (largest remainder; each nonzero split gets a file where the class \
            has enough). On food101/recipes5k it pools the published lists and ignores their split.

            Writes OUT/classes.txt (the class order used) and OUT/split.json (counts, mode, seed). \
            Listed files that are missing fail the run; unlisted images and duplicate entries are \
            warnings. A rerun skips outputs that exist; an interrupted --move is finished by rerunning it.

            Examples:
              dataset split food-101 --to food-10 --first 10
              dataset split food-101 --to food --val-fraction 0.1 --seed 7
              dataset split Recipes5k --to recipes --copy
              dataset split flowers --to flowers-split --ratios 0.8,0.1,0.1 --seed 42
            """
    )

    @Argument(help: ArgumentHelp("The dataset folder (food-101 or its parent, Recipes5k or its parent, or a class-folder tree).",
                                 valueName: "root"))
    var source: String

    @Option(name: .customLong("to"), help: ArgumentHelp("Output folder: <split>/<class>/<file>, classes.txt and split.json.",
                                                        valueName: "out"))
    var destination: String

    @Option(help: "Layout: food101, recipes5k or folders (default: meta/ means food101, annotations/ recipes5k, else folders).")
    var from: LayoutKind?

    @Option(help: "Split fractions per class: 2 (train,test) or 3 (train,val,test) summing to 1, e.g. 0.8,0.1,0.1.")
    var ratios: String?

    @Option(help: "Move this fraction of each class's train files to a new val split, e.g. 0.1.")
    var valFraction: Double?

    @Option(help: "Seed for --ratios and --val-fraction: the same seed gives the same split.")
    var seed: UInt64 = SplitSettings.defaultSeed

    @Option(help: "Only these classes, comma-separated, in this order (e.g. apple_pie,pizza).")
    var classes: String?

    @Option(help: "Only the first N classes in the dataset's own order (Food-101's classes.txt; sorted for folders).")
    var first: Int?

    @OptionGroup(title: "Mode (at most one)") var transfer: TransferFlags

    @Flag(help: "Replace outputs that already exist (default: skip them, so a rerun finishes an interrupted run).")
    var overwrite = false

    @Flag(help: "Print the plan (counts per split, problems, the first few files) and write nothing.")
    var dryRun = false

    @OptionGroup(title: "Run") var runOptions: RunOptions

    func validate() throws {
        guard FileIO.isDirectory(source) else { throw ValidationError("source '\(source)' is not a folder.") }
        if let a = FileTree.canonical(source), let b = FileTree.canonical(destination), a == b {
            throw ValidationError("--to must differ from the source folder.")
        }
        if classes != nil && first != nil { throw ValidationError("--classes and --first: give one of them.") }
        if let first, first < 1 { throw ValidationError("--first must be at least 1 (got \(first)).") }
        if let classes, classes.split(separator: ",").contains(where: { $0.contains("/") || $0.trimmed.isEmpty }) {
            throw ValidationError("--classes: give class names separated by commas (got '\(classes)').")
        }
        _ = try settings()
        try transfer.check(source: source, destination: destination)
    }

    func run() throws {
        let layout = from ?? LayoutKind.detect(source)
        let listing = try failing { () throws(LayoutError) in try layout.listing(root: source, excluding: [destination]) }
        if let a = FileTree.canonical(listing.imageRoot), let b = FileTree.canonical(destination), a == b {
            throw usageError("--to must differ from the image folder '\(listing.imageRoot)'.")
        }
        let (mode, note) = transfer.resolve(source: listing.imageRoot, destination: destination)
        let settings = try settings()
        let output = FileTree.normalise(destination)
        var plan = try plan(listing, settings: settings, output: output)
        if let why = plan.emptyReason { throw commandFailure(why) }
        let sourceRoot = FileTree.canonical(listing.imageRoot) ?? listing.imageRoot
        if mode == .move, let journal = try failing({ () throws(LayoutError) in try SplitJournal.load(from: output) }) {
            guard journal.matches(source: sourceRoot, layout: layout, settings: settings) else {
                throw usageError("'\(output)' holds an unfinished --move made with other options (\(SplitJournal.fileName)); rerun that command to finish it, or remove the file to start afresh.")
            }
            plan = journal.plan
            say("finishing the move recorded in \(output)/\(SplitJournal.fileName)")
        }
        let report = SplitReport(plan: plan, source: sourceRoot, layout: layout, mode: mode, settings: settings)
        if dryRun {
            SplitPlanPrinter.printDryRun(plan, report: report, sourceRoot: listing.imageRoot, output: output,
                                         note: note, json: runOptions.json)
            return
        }
        if let note { say(note) }
        if runOptions.strict, !plan.failures.isEmpty {
            SplitPlanPrinter.printProblems(plan.failures, label: "error")
            throw ExitCode(1)
        }
        try execute(plan, report: report, listing: listing, mode: mode, output: output,
                    journal: SplitJournal(source: sourceRoot, layout: layout, settings: settings, plan: plan))
    }

    /// Runs the plan, writes classes.txt and split.json, and reports.
    private func execute(_ plan: SplitPlan, report: SplitReport, listing: DatasetListing, mode: TransferMode,
                         output: String, journal: SplitJournal) throws {
        try failing { () throws(FileError) in
            try FileIO.createDirectories(output)
            if mode == .move && SplitJournal.isNeeded(layout: journal.layout, settings: journal.settings) {
                try journal.write(to: output)
            }
        }
        // Symbolic links are made relative, which needs both roots absolute and canonical.
        let roots = mode == .symlink
            ? (FileTree.canonical(listing.imageRoot) ?? listing.imageRoot, FileTree.canonical(output) ?? output)
            : (listing.imageRoot, output)
        let job = SplitJob(mode: mode, overwrite: overwrite, roots: roots)
        var (summary, _) = try FileJob.execute(command: "split", mappings: plan.items.map { FileMapping(source: $0.source, destination: $0.destination) },
                                          sourceRoot: roots.0, destinationRoot: roots.1, options: runOptions) { source, destination in
            job.process(source: source, destination: destination)
        }
        let transfersSucceeded = summary.succeeded
        summary.failures += plan.failures.map(\.problem)
        summary.failed += plan.failures.count
        summary.warnings += plan.warnings.map(\.problem)
        try failing { () throws(FileError) in try report.write(to: output) }
        if mode == .move && transfersSucceeded { SplitJournal.remove(from: output) }
        if transfersSucceeded {
            // Half-written copies an interrupted earlier run left (a move across file systems).
            let files = plan.items.map { output + "/" + $0.destination }
            for folder in Set(files.map { String($0[..<$0.lastIndex(of: "/")!]) }) { FileIO.removeStaleTemporaries(in: folder) }
        }
        try FileJob.report(summary, options: runOptions)
    }

    private func plan(_ listing: DatasetListing, settings: SplitSettings, output: String) throws -> SplitPlan {
        // Outputs already there: a file moved by an earlier run is gone from the source but
        // still listed, and is done rather than missing.
        let done = FileIO.isDirectory(output) ? Set((try? FileTree(root: output).files) ?? []) : []
        do {
            return try SplitPlanner.plan(listing, settings: settings, done: done)
        } catch {
            throw usageError(error.description)
        }
    }

    private func settings() throws -> SplitSettings {
        do {
            let parsed = try ratios.map { (text: String) throws(SplitError) in try SplitRatios(parsing: text) }
            if let valFraction, !(valFraction > 0 && valFraction < 1) { throw SplitError.badValidationFraction(valFraction) }
            if let parsed, parsed.splits.contains("val"), valFraction != nil {
                throw ValidationError("--val-fraction with 3 --ratios: the ratios already make a val split; give one of them.")
            }
            let selection: ClassSelection = if let classes {
                .named(classes.split(separator: ",").map(\.trimmed))
            } else if let first { .first(first) } else { .all }
            return SplitSettings(ratios: parsed, validationFraction: valFraction, seed: seed, selection: selection)
        } catch let error as SplitError {
            throw ValidationError(error.description)
        }
    }

    /// A bad argument found only once the dataset is read (an unknown class): the message and
    /// exit status 64, as for the errors `validate()` finds.
    private func usageError(_ message: String) -> ExitCode {
        ReportLines.write("Error: " + message)
        return ExitCode.validationFailure
    }

    private func say(_ text: String) {
        if !runOptions.quiet { ReportLines.write("split: " + text) }
    }

    /// Runs `body`; a typed error (a file that cannot be read or written) becomes
    /// `error: <what>` on stderr and exit status 1.
    private func failing<T, E: Error & CustomStringConvertible>(_ body: () throws(E) -> T) throws -> T {
        do { return try body() } catch {
            throw commandFailure(error.description)
        }
    }
}

private extension Substring {
    var trimmed: String { String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()) }
}
