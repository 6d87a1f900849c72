import ArgumentParser
import DatasetKit
import Foundation

extension ShardFormat: ExpressibleByArgument {}
extension Normalization.Kind: ExpressibleByArgument {
    /// `imagenet` still names `torch`.
    public init?(argument: String) { self.init(name: argument) }
}

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Pack labelled images into shards a trainer reads directly: numpy .npy arrays or WebDataset tars.",
        discussion: """
            Reads class folders (<split>/<class>/<file>; a tree of <class>/<file> is one split, \
            train) or a multi-hot Nanonets layout (ImageSets/ + Annotations/, at the root or in \
            each <split>/). Classes follow classes.txt when there is one, else sorted folder names. \
            Split folders are written as train, val and test (Training/ is train; see the README's \
            Dataset trees). An image in a subfolder of a class folder belongs to that class, with \
            a warning.

            Writes per split npy shards (train-00000.images.npy uint8 (N,H,W,3), \
            train-00000.labels.npy int64 (N,) or uint8 (N,C) multi-hot) or WebDataset shards \
            (train-000000.tar: <key>.jpg + <key>.cls or <key>.json), a files.txt per shard (the \
            source of each row), classes.txt and manifest.json (classes, counts, shapes, dtype, \
            mean/std, sha256 per file, and the preparation: --background, orientation, \
            --full-decode, the resize and the normalisation, which `train` copies into model.json \
            and `predict` applies to photos). Pixels are what `dataset resize` with the same \
            geometry and input flags writes as PNG. mean/std (and --normalize dataset) are those of the \
            train split only; without one, statistics.split is "none" and --normalize dataset is \
            refused.

            --shard I/N: pack only worker I's part of every split (classes still come from the \
            whole input): shards named <split>-wIofN-00000.*, and manifest.wIofN.json instead of \
            manifest.json. When all N workers are done, `dataset merge-manifests DIR` checks the \
            parts and writes the manifest.json readers use.

            Examples:
              dataset pack train-test --to shards --size 128x128
              dataset pack food --to shards --size 224 --normalize torch --shuffle
              dataset pack food --to shards --size 224 --mode crop --normalize caffe   # VGG16, ResNet50
              dataset pack food --to wds --size 160 --format webdataset --shard-size 5000
              dataset pack ml --to ml-shards --size 128 --dtype float32 --normalize dataset
              dataset pack food --to shards --size 224 --shard 2/4   # then: dataset merge-manifests shards
            """
    )

    enum DType: String, ExpressibleByArgument, CaseIterable {
        case uint8, float32
        var npy: NPYDType { self == .uint8 ? .uint8 : .float32 }
    }

    @Argument(help: "Folder of class folders or a Nanonets (multi-hot) folder.")
    var source: String

    @Option(name: .customLong("to"), help: "Output folder for the shards and manifest.json.")
    var destination: String

    @OptionGroup(title: "Geometry") var resize: ResizeFlags

    @Option(help: "Shard format: npy (numpy arrays) or webdataset (tar of <key>.jpg + <key>.cls/.json).")
    var format: ShardFormat = .npy

    @Option(help: "Rows (images) per shard.")
    var shardSize: Int = 1000

    @Option(help: ArgumentHelp("Normalisation recorded in the manifest (and applied with --dtype float32): none (0-255), rescale (x/255), Keras' preprocess_input modes torch ((x/255 - ImageNet mean) / std; also called imagenet), caffe (RGB to BGR, minus the ImageNet mean: VGG16, ResNet50) and tf (x/127.5 - 1: MobileNetV2, Inception V3), or dataset (this dataset's mean/std).",
                               valueName: "none|rescale|torch|caffe|tf|dataset"))
    var normalize: Normalization.Kind = .rescale

    @Option(help: "uint8 (0-255; the trainer normalises) or float32 (normalised values; npy only, 4x the size).")
    var dtype: DType = .uint8

    @Flag(help: "Shuffle the rows of each split (deterministically, from --seed).")
    var shuffle = false

    @Option(help: "Seed for --shuffle.")
    var seed: UInt64?

    @Option(help: "JPEG quality of WebDataset samples, 1-100.")
    var quality: Int = 95

    @Flag(help: "Always decode JPEGs at full size (as `resize --full-decode`).")
    var fullDecode = false

    @Flag(help: "Repack when the output already holds a manifest.json (default: leave it, a rerun does nothing).")
    var overwrite = false

    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions
    @OptionGroup(title: "Scale out") var shard: ShardFlags

    func validate() throws {
        guard FileIO.isDirectory(source) else { throw ValidationError("source '\(source)' is not a folder.") }
        if let a = FileTree.canonical(source), let b = FileTree.canonical(destination), a == b {
            throw ValidationError("--to must differ from the source folder (inputs are never overwritten).")
        }
        guard resize.mode != .shorter else {
            throw ValidationError("--mode shorter gives every image its own size; shards need one: use stretch, crop or pad.")
        }
        guard shardSize >= 1 else { throw ValidationError("--shard-size must be at least 1 (got \(shardSize)).") }
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1-100 (got \(quality)).") }
        if dtype == .float32 && format == .webdataset {
            throw ValidationError("--dtype float32 needs --format npy (WebDataset shards hold JPEGs).")
        }
        if seed != nil && !shuffle { throw ValidationError("--seed is for --shuffle; add --shuffle or drop --seed.") }
    }

    func run() throws {
        let folder = FileTree.normalise(destination)
        let preparation = ImagePreparation(resize: resize.spec, decode: decode.options, dctReduction: !fullDecode,
                                           normalization: Normalization(normalize))
        let job = PackJob(preparation: preparation, limits: decode.options.limits, format: format, shardSize: shardSize,
                          dtype: dtype.npy, shuffleSeed: shuffle ? (seed ?? 1) : nil, jpegQuality: quality, shard: shard.workShard)
        if !overwrite && FileIO.exists(folder + "/" + job.manifestFileName) {
            ReportLines.write("pack: \(folder) already holds a pack (\(job.manifestFileName)); nothing to do (--overwrite to repack)")
            return
        }
        let input: PackInput
        do { input = try PackInput.read(root: source, excluding: [destination]) } catch { throw commandFailure(error) }
        guard !input.classes.isEmpty else {
            throw commandFailure("no classes found in \(source): expected <split>/<class>/<file>, <class>/<file> or ImageSets/ + Annotations/")
        }
        let part = shard.workShard
        let progress = ProgressReporter(label: "pack", total: part.map { input.part($0).itemCount } ?? input.itemCount,
                                        style: runOptions.quiet ? .quiet : nil)
        let report: PackJob.Report
        do {
            report = try job.run(input, to: folder, jobs: runOptions.jobs, strict: runOptions.strict, progress: progress)
            progress.finish()
        } catch {
            progress.finish()
            throw commandFailure(error)
        }
        if let manifest = report.manifest, !runOptions.quiet {
            let splits = manifest.splits.map { "\($0.name) \($0.count) rows in \($0.shards.count) shard\($0.shards.count == 1 ? "" : "s")" }
            let next = manifest.part.map { " (part \($0.shard); once all \($0.shard.count) are there: dataset merge-manifests \(folder))" } ?? ""
            ReportLines.write("\(folder): \(splits.joined(separator: ", ")); \(manifest.classes.count) classes\(next)")
        }
        try FileJob.report(report.summary, options: runOptions)
    }
}
