import ArgumentParser
import DatasetKit
import Foundation

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a small synthetic dataset in a real dataset's layout, to try every command without a download.",
        discussion: """
            Layouts (written under --to):
              folders     <class>/<class>_<n>.jpg: class folders of JPEGs
                          (--splits Training,Test: <split>/<class>/..., as fruits-360)
              food101     food-101.tar.gz: images/<class>/<id>.jpg, meta/
              recipes5k   Recipes5k.zip: images/, annotations/ (CRLF ingredients)
              products    products/train.csv, train_img/<id>.png (RGB/RGBA/palette)
              multilabel  multilabel/ImageSets, Annotations, classes.txt, labels.csv

            The images are synthetic pictures whose classes (or tags) a small CNN \
            can tell apart. The same options and seed write the same bytes.

            Examples:
              dataset sample food101 --to downloads --classes 10 --per-class 100
              dataset sample recipes5k --to downloads --max-side 128
              dataset sample products --to downloads --classes 25 --per-class 20
              dataset sample folders --to fruits --splits Training,Test --max-side 100
            """
    )

    enum Layout: String, ExpressibleByArgument, CaseIterable {
        case folders, food101, recipes5k, products, multilabel
    }

    @Argument(help: "Layout to write (see above).")
    var layout: Layout

    @Option(name: .customLong("to"), help: "Output folder (created when missing).")
    var destination: String

    @Option(help: "Number of classes (tags for multilabel). Limits: folders 1000, food101 and recipes5k 101, products 25, multilabel 10.")
    var classes: Int = 5

    @Option(help: "Images per class. food101 splits them 3:1 into train and test (at least 2); recipes5k 70/15/15 into train, val and test (at least 3).")
    var perClass: Int = 40

    @Option(help: "Random seed: the same seed writes the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Longer image side in pixels, 8-4096 (default: 512 as Food-101; products are square, 256 as the challenge's). Small values make fast test data.")
    var maxSide: Int?

    @Option(help: "JPEG quality 1-100 (default: 75-95 per image, like a dataset from many sources). Not for products, which are PNGs.")
    var quality: Int?

    @Option(help: ArgumentHelp("folders: put the classes in these split folders, distinct names separated by commas (e.g. Training,Test as fruits-360); the first gets about three quarters of each class, the others share the rest.",
                               valueName: "names"))
    var splits: FolderNames?

    @OptionGroup(title: "Run") var runOptions: RunOptions

    /// The largest --classes and the --per-class range of each layout.
    private var limits: (classes: Int, perClass: ClosedRange<Int>) {
        switch layout {
        case .folders: (1000, 1...100_000)
        case .food101: (SampleFood101.maxClasses, SampleFood101.minPerClass...SampleFood101.maxPerClass)
        case .recipes5k: (SampleRecipes5k.maxClasses, SampleRecipes5k.minPerClass...SampleRecipes5k.maxPerClass)
        case .products: (SampleProducts.maxClasses, 1...SampleProducts.maxPerClass)
        case .multilabel: (SampleMultiLabel.maxClasses, 1...SampleMultiLabel.maxPerClass)
        }
    }

    func validate() throws {
        let (maxClasses, perClassRange) = limits
        guard (1...maxClasses).contains(classes) else {
            throw ValidationError("--classes must be 1-\(maxClasses) for \(layout.rawValue) (got \(classes)).")
        }
        guard perClassRange.contains(perClass) else {
            throw ValidationError("--per-class must be \(perClassRange.lowerBound)-\(perClassRange.upperBound) for \(layout.rawValue) (got \(perClass)).")
        }
        if let maxSide, !(8...4096).contains(maxSide) {
            throw ValidationError("--max-side must be 8-4096 (got \(maxSide)).")
        }
        if let splits {
            guard layout == .folders else { throw ValidationError("--splits applies to the folders layout (the others have their datasets' own splits).") }
            guard perClass >= splits.names.count else {
                throw ValidationError("--per-class must be at least \(splits.names.count) with --splits \(splits.defaultValueDescription): every split needs an image of each class.")
            }
        }
        if let quality {
            guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1-100 (got \(quality)).") }
            guard layout != .products else { throw ValidationError("--quality applies to JPEGs; products are PNGs.") }
        }
    }

    func run() throws {
        let style = SamplePhotoStyle(maxSide: maxSide ?? 512, quality: quality)
        let sample: any SampleLayout = switch layout {
        case .folders: SampleFolders(classes: classes, perClass: perClass, seed: seed, style: style, splits: splits?.names ?? [])
        case .food101: SampleFood101(classes: classes, perClass: perClass, seed: seed, style: style)
        case .recipes5k: SampleRecipes5k(classes: classes, perClass: perClass, seed: seed, style: style)
        case .products: SampleProducts(classes: classes, perClass: perClass, seed: seed, side: maxSide ?? 256)
        case .multilabel: SampleMultiLabel(classes: classes, perClass: perClass, seed: seed, style: style)
        }
        let progress = ProgressReporter(label: "sample \(layout.rawValue)", total: sample.imageCount,
                                        style: runOptions.quiet ? .quiet : nil)
        let report: SampleReport
        do {
            report = try SampleWriter(jobs: runOptions.jobs, progress: progress).write(sample, into: FileTree.normalise(destination))
            progress.finish()
        } catch {
            progress.finish()
            throw commandFailure(error)
        }
        ReportLines.write(report.line)
        if runOptions.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        }
    }
}
