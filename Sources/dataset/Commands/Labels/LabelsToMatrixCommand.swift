import ArgumentParser
import DatasetKit
import Foundation

struct LabelsToMatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "to-matrix",
        abstract: "Read a Nanonets folder (ImageSets/ + Annotations/) into a labels.csv multi-hot matrix.",
        discussion: """
            Each image of ImageSets/ pairs with Annotations/<stem>.txt (label names, one per line). \
            The columns follow DIR/classes.txt when there is one (labels it lacks are added after, \
            reported), else sorted names. Images without an annotation and annotations without an \
            image are reported as errors and left out.

            Example:
              dataset labels to-matrix recipes-ml --to recipes-ml-labels.csv
            """
    )

    @Argument(help: "Folder holding ImageSets/ and Annotations/.")
    var folder: String

    @Option(name: .customLong("to"), help: "The matrix CSV to write (filename,<class>... with 0/1).")
    var destination: String

    @OptionGroup(title: "Run") var runOptions: RunOptions

    func validate() throws {
        for sub in [NanonetsLayout.imagesFolder, NanonetsLayout.annotationsFolder] where !FileIO.isDirectory(folder + "/" + sub) {
            throw ValidationError("'\(folder)' has no \(sub)/ folder: expected a Nanonets layout (ImageSets/ and Annotations/).")
        }
        if FileIO.isDirectory(destination) { throw ValidationError("--to '\(destination)' is a folder; name the CSV file to write.") }
    }

    func run() throws {
        let start = Date()
        let layout = NanonetsLayout(root: folder)
        let contents: NanonetsContents
        do { contents = try layout.read() } catch { throw LabelsCommand.failure(error) }
        let rows = contents.matrix.rows
        let paths = rows.map { layout.root + "/" + NanonetsLayout.imagesFolder + "/" + $0.filename } + contents.failures.map(\.path)
        let outcomes: [ItemOutcome?] = rows.map { _ in .done() } + contents.failures.map { .failed($0.reason) }
        var summary = RunSummary(command: "labels to-matrix", paths: paths, outcomes: outcomes,
                                 seconds: Date().timeIntervalSince(start))
        summary.warnings += contents.warnings
        // --strict: an incomplete folder writes nothing.
        if !(runOptions.strict && !summary.succeeded) {
            do { try FileIO.writeAtomically(Array(contents.matrix.csvText.utf8), to: destination) } catch {
                throw LabelsCommand.failure(error)
            }
            if !runOptions.quiet {
                ReportLines.write("\(destination): \(rows.count) images x \(contents.matrix.classes.count) classes")
            }
        }
        try FileJob.report(summary, options: runOptions)
    }
}
