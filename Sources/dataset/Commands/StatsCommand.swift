import ArgumentParser
import DatasetKit
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Report a dataset per split and class: counts, shares, imbalance, sizes, colour modes, mean/std, corrupt files.",
        discussion: """
            Reads the layouts `pack` reads: <split>/<class>/<file>, <class>/<file> (one split, \
            train; split names as pack writes them) or a multi-hot Nanonets folder. Every image is decoded once; mean and std are \
            per channel on the 0-1 scale, of the images resized as for training (--size, --mode, \
            --filter), ready for transforms.Normalize. Counts are of readable images; the imbalance \
            ratio is the largest class over the smallest with images in that split.
            A folder that cannot be read (or a file pack could not pack, such as a class missing \
            from classes.txt) is an error: reported, left out, exit status 1.
            --strict: exit 1 when any file is corrupt too.

            Examples:
              dataset stats food-101-split
              dataset stats train-test --size 128 --chart counts.svg
              dataset stats train-test --json > stats.json
            """
    )

    @Argument(help: "Dataset folder.")
    var source: String

    @Option(help: ArgumentHelp("Size images are resized to for mean/std, WxH or N.", valueName: "WxH"))
    var size = PixelSize(width: 224, height: 224)

    @Option(help: "Resize mode for mean/std: stretch, crop, pad or shorter.")
    var mode: ResizeMode = .stretch

    @Option(help: "Resize filter for mean/std: bilinear, area or nearest.")
    var filter: ResizeFilter = .bilinear

    @Option(help: ArgumentHelp("Write a bar chart of images per class (SVG).", valueName: "file.svg"))
    var chart: String?

    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions

    func validate() throws {
        guard FileIO.isDirectory(source) else { throw ValidationError("source '\(source)' is not a folder.") }
        if let chart, FileIO.isDirectory(chart) { throw ValidationError("--chart '\(chart)' is a folder; name the SVG file to write.") }
        try ResizeFlags.check(size)
    }

    func run() throws {
        let input: PackInput
        do { input = try PackInput.read(root: source) } catch { throw commandFailure(error) }
        let resize = ResizeJob(spec: ResizeSpec(size: size, mode: mode, filter: filter), decode: decode.options)
        let inspector = ImageInspector(decode: decode.options, statisticsResize: resize)
        let items = input.splits.flatMap { split in split.items.map { $0.path } }
        let progress = ProgressReporter(label: "stats", total: items.count, style: runOptions.quiet ? .quiet : nil)
        let root = input.root
        let facts = ParallelRunner.map(0..<items.count, jobs: runOptions.jobs) { index in
            let facts = inspector.inspect(root: root, path: items[index])
            progress.record(facts.isReadable ? .done() : .failed(facts.failureReason ?? ""))
            return facts
        }
        progress.finish()
        var perSplit: [[ImageFacts]] = [], offset = 0
        for split in input.splits {
            perSplit.append(Array(facts[offset..<(offset + split.items.count)]))
            offset += split.items.count
        }
        let stats = DatasetStats(input: input, facts: perSplit, statisticsSize: size)
        if let chart {
            let svg = BarChartSVG(title: "Images per class", categories: stats.classes,
                                  series: stats.splits.map { ($0.name, $0.classes.map(\.count)) }).svg
            do { try FileIO.writeAtomically(Array(svg.utf8), to: chart) } catch { throw commandFailure(error) }
        }
        if runOptions.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(stats) + Data("\n".utf8))
        } else {
            ReportLines.write(StatsText.lines(stats), to: .standardOutput)
        }
        if let chart, !runOptions.quiet { ReportLines.write("stats: chart written to \(chart)") }
        // What pack could not pack (an unreadable folder, a class not in classes.txt) leaves the
        // statistics incomplete: an error, whatever --strict says.
        ReportLines.write(input.failures.map { "error: \($0)" })
        if !input.failures.isEmpty || (runOptions.strict && stats.corrupt > 0) { throw ExitCode(1) }
    }
}
