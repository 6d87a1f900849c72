import ArgumentParser
import DatasetKit
import Foundation

struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Augment images with Keras ImageDataGenerator's transforms: balance classes to a size, or make K copies each.",
        discussion: """
            Inputs: class folders (SRC/<class>/ or SRC/<split>/<class>/; an image in a subfolder \
            of a class folder belongs to that class, with a warning), a folder plus --labels CSV (the label is the class; the output \
            gets the CSV with a row per image), or a Nanonets folder (ImageSets/ + Annotations/, \
            --copies only; every copy gets its source's annotation).

            --class-size N: every class ends with exactly N images, its originals plus copies \
            spread evenly over them (a class already that big gets none; --cap samples it down). \
            --copies K: K copies of every image. Copies are named <stem>_aug<k>.<ext>. An \
            unreadable image is reported and left out; its class still reaches N. \
            --splits train augments only SRC/train/ of a split tree and carries the other \
            splits through unchanged (originals only), so test never gets augmented copies.

            One affine warp per copy (rotation, shift, shear, zoom, flips), bilinear, then \
            brightness and channel shift. The same --seed gives the same bytes whatever --jobs \
            is; --log records every copy's parameters and --replay makes the same outputs again.

            --shard I/N: every worker plans from the whole input (so --class-size counts whole \
            classes) and writes the outputs of its sources only; N workers write what one run \
            writes. A worker's CSV / labels.csv index and --log go to <name>.wIofN.<ext> parts. \
            An unreadable image's copies are not made up by other workers' images (its class \
            ends short; reported): clean first.

            Examples:
              dataset augment train --to train-aug --class-size 600 --rotation-range 40 \\
                  --width-shift-range 0.2 --height-shift-range 0.2 --shear-range 0.2 \\
                  --zoom-range 0.2 --horizontal-flip --fill-mode nearest
              dataset augment products/train_img --labels products/train.csv --to aug --copies 3 \\
                  --rotation-range 20 --brightness-range 0.8,1.2
              dataset augment train --to aug --copies 2 --zoom-range 0.8,1.2 --log params.jsonl
              dataset augment train --to again --replay params.jsonl
              dataset augment split --to split-aug --splits train --class-size 600 --horizontal-flip
            """
    )

    @Argument(help: "Folder of images: class folders, the images of --labels, or a Nanonets folder.")
    var source: String

    @Option(name: .customLong("to"), help: "Output folder (created; existing outputs are skipped unless --overwrite).")
    var destination: String

    @Option(help: "Every class ends with exactly this many images (originals + copies).")
    var classSize: Int?

    @Option(help: "Augmented copies of every image.")
    var copies: Int?

    @Flag(help: "Leave the originals out of the output (then a class size is made of copies alone).")
    var noOriginals = false

    @Flag(help: "With --class-size: sample classes that are already bigger down to the size (default: keep all their images).")
    var cap = false

    @Flag(help: "Hard-link originals that are kept byte for byte instead of copying them (same file system).")
    var hardlink = false

    @Option(help: ArgumentHelp("Augment only these split folders of a SRC/<split>/<class>/ tree (e.g. train; names separated by commas); the other splits are carried through as they are, so no augmented copy reaches test.",
                               valueName: "names"))
    var splits: FolderNames?

    @Option(help: "Random seed: the same seed gives the same outputs.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Write every output's parameters here (JSON Lines, sorted by output).", valueName: "params.jsonl"))
    var log: String?

    @Option(help: ArgumentHelp("Make exactly the outputs of a --log file, with its parameters (the augmentation flags, --class-size and --copies are not used; give the same --size and output flags for the same bytes).",
                               valueName: "params.jsonl"))
    var replay: String?

    @OptionGroup(title: "Augmentation (Keras ImageDataGenerator's arguments)") var augment: AugmentFlags

    @OptionGroup(title: "Labels CSV input") var labels: AugmentLabelsFlags

    @OptionGroup(title: "Resize in the same pass") var resize: AugmentResizeFlags
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions
    @OptionGroup(title: "Scale out") var shard: ShardFlags

    func validate() throws {
        guard FileIO.isDirectory(source) else { throw ValidationError("source '\(source)' is not a folder.") }
        if let a = FileTree.canonical(source), let b = FileTree.canonical(destination), a == b {
            throw ValidationError("--to must differ from the source folder (inputs are never overwritten).")
        }
        if let replay {
            guard classSize == nil && copies == nil else { throw ValidationError("--replay makes what the log lists: leave out --class-size and --copies.") }
            guard FileIO.exists(replay) else { throw ValidationError("--replay file '\(replay)' does not exist.") }
        } else {
            guard (classSize == nil) != (copies == nil) else { throw ValidationError("give exactly one of --class-size N and --copies K.") }
        }
        if let classSize, !(1...10_000_000).contains(classSize) { throw ValidationError("--class-size must be 1-10000000 (got \(classSize)).") }
        if let copies, !(1...100_000).contains(copies) { throw ValidationError("--copies must be 1-100000 (got \(copies)).") }
        if cap && classSize == nil { throw ValidationError("--cap applies to --class-size.") }
        if classSize != nil && labels.labels == nil && DatasetLayout.isNanonets(source) {
            throw ValidationError("--class-size needs single-label classes; '\(source)' is a Nanonets (multi-label) folder: use --copies.")
        }
        if let splits {
            guard labels.labels == nil && !DatasetLayout.isNanonets(source) else {
                throw ValidationError("--splits applies to class folders in split folders (SRC/<split>/<class>/).")
            }
            guard replay == nil else { throw ValidationError("--splits and --replay exclude each other: a replay makes what its log lists.") }
            for name in splits.names where !FileIO.isDirectory(source + "/" + name) {
                throw ValidationError("--splits: '\(name)' is not a folder of '\(source)' (give its split folders, such as train, separated by commas).")
            }
        }
        if let log {
            let folder = (log as NSString).deletingLastPathComponent
            guard folder.isEmpty || FileIO.isDirectory(folder) else { throw ValidationError("--log: folder '\(folder)' does not exist.") }
        }
    }

    func run() throws {
        let input = try readInput()
        let naming = AugmentNaming(sources: input.items.map(\.source), output: output.imageOutput)
        let target: AugmentTarget = classSize.map { .classSize($0, cap: cap) } ?? .copies(copies ?? 0)
        var planner = AugmentPlanner(items: input.items, balancer: ClassBalancer(target: target, includeOriginals: !noOriginals, seed: seed),
                                     naming: naming, splits: splits.map { Set($0.names) })
        let part = shard.workShard
        // Under --shard each problem found while reading the input is reported by one worker.
        let owned = { (problems: [Problem]) in part.map { shard in problems.filter { shard.owns($0, under: input.root) } } ?? problems }
        var planFailures = owned(input.failures)
        if let replay {
            let records: [ParamsRecord]
            do { records = try ParamsLog.read(path: replay) } catch { throw AugmentReporting.failure("--replay \(error)") }
            let (plan, failures) = ParamsLog.replayPlan(records, items: input.items, path: replay)
            planner.replay = plan
            planFailures += owned(failures)
        }
        let job = AugmentJob(sampler: TransformSampler(augment.parameters), seed: seed, output: output.imageOutput,
                             decode: decode.options, resize: resize.spec, overwrite: output.overwrite, hardLink: hardlink,
                             parametersForSkipped: log != nil)
        let root = FileTree.normalise(destination)
        let run = AugmentRun(planner: planner, job: job, sourceRoot: input.root, destinationRoot: root,
                             jobs: runOptions.jobs, strict: runOptions.strict, shard: part)
        let quiet = runOptions.quiet
        let report: AugmentReport
        do {
            report = try run.execute(planFailures: planFailures, planWarnings: owned(input.warnings)) { pass, total in
                ProgressReporter(label: pass == 1 ? "augment" : "augment (replacing unreadable)", total: total, style: quiet ? .quiet : nil)
            }
            try FileIO.createDirectories(root)
            try input.writeIndex(report.present.map { ($0.item, $0.output.destination) }, to: root, shard: part)
            if let log {
                try FileIO.writeAtomically(Array(ParamsLog.text(report.records).utf8), to: part.map { $0.partName(log) } ?? log)
            }
        } catch {
            throw AugmentReporting.failure("\(error)")
        }
        try AugmentReporting.print(report, options: runOptions)
    }

    private func readInput() throws -> AugmentInput {
        do {
            if let csv = labels.labels {
                let table: LabelTable
                do {
                    table = try CSVLabels(idColumn: labels.idColumn, valueColumn: labels.labelColumn).read(path: csv)
                } catch {
                    throw LabelsCommand.rethrow(error, flags: ["ids": "--id-column", "label": "--label-column"])
                }
                return try AugmentInput.labelsCSV(root: source, table: table, idColumn: labels.idColumn, labelColumn: labels.labelColumn,
                                                  fileExtension: try LabelsCommand.normalisedExtension(labels.imageExtension),
                                                  excluding: [destination])
            }
            if DatasetLayout.isNanonets(source) { return try AugmentInput.nanonets(root: source) }
            return try AugmentInput.classFolders(root: source, excluding: [destination])
        } catch let error as FileError {
            throw AugmentReporting.failure("\(error)")
        }
    }
}
