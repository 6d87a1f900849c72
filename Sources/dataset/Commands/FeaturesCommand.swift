import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

extension Backbone: ExpressibleByArgument {}
extension Backbone.Pooling: ExpressibleByArgument {}

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Run a pretrained backbone (without its classifier) over every image and save its outputs: bottleneck features.",
        discussion: """
            SRC is a shards folder from `dataset pack` (npy or WebDataset) or a tree of class \
            folders (<split>/<class>/<file>, or <class>/<file> as one split, train). Images of a \
            tree are stretched to --size (default: the backbone's, 224; 299 for inception_v3), \
            as Keras' load_img(target_size=...) does; shards are used at their packed size. \
            Pixels are normalised with the backbone's own Keras preprocess_input (caffe: BGR \
            minus the ImageNet mean for vgg16 and resnet50; tf: [-1, 1] for mobilenet_v2 and \
            inception_v3); float32 shards must already hold exactly that.

            Writes per split DIR/<split>/features.npy (float32 (N, C) with --pooling avg or max; \
            (N, h, w, C) NHWC with --pooling none, as the bottleneck tutorial's VGG16 before its \
            Flatten), labels.npy (int64 (N,) or uint8 (N, C) multi-hot, as the source), \
            files.txt (the source of each row: the image path relative to SRC, or \
            <shard file>#<row>), then DIR/classes.txt and DIR/features.json (backbone, pooling, \
            input size, weight file and its sha256, the whole image preparation, the source and \
            its manifest's sha256, and per split the counts, shapes and sha256 of every file). \
            Rows keep the input's order, the last short batch is kept, nothing is shuffled.

            --weights imagenet uses Keras' own file: found in $KERAS_HOME/models or \
            ~/.keras/models, else downloaded once into ~/.cache/dataset/models \
            ($DATASET_WEIGHTS_MIRROR replaces the download address). --weights PATH reads a \
            Keras .h5 or .weights.h5 file; --weights none keeps Keras' random initialisation \
            (for tests and timing).

            Rows are written in parts of --part-size as they complete: a killed run, rerun \
            with the same command, extracts only the parts it had not finished. --shard I/N \
            extracts worker I's rows (by the hash of each row's files.txt entry: \
            features.wIofN.json, <split>/features.wIofN.npy, ...); \
            `dataset merge-manifests DIR` then joins the N workers' outputs into exactly what \
            one run writes.

            Then: dataset train DIR --to top --model mlp (or --model linear).

            Examples:
              dataset features shards --backbone vgg16 --to feats
              dataset features photos --backbone mobilenet_v2 --to feats --size 160 --pooling max
              dataset features shards --backbone vgg16 --to feats --pooling none --weights ~/.keras/models/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5
              dataset features shards --backbone inception_v3 --to feats --shard 0/4   # then: dataset merge-manifests feats
            """
    )

    @Argument(help: ArgumentHelp("A shards folder from `dataset pack`, or a folder of class folders.", valueName: "src"))
    var source: String

    @Option(help: ArgumentHelp("The network: vgg16, resnet50, mobilenet_v2 or inception_v3 (Keras' applications, without the classifier).",
                               valueName: "name"))
    var backbone: Backbone

    @Option(name: .customLong("to"), help: ArgumentHelp("Folder to write the features into.", valueName: "dir"))
    var destination: String

    @Option(help: ArgumentHelp("imagenet (Keras' file, found or downloaded), none (random, Keras' initialisers), or the path of a Keras .h5 / .weights.h5 file.",
                               valueName: "imagenet|none|path"))
    var weights: String = "imagenet"

    @Option(help: "What follows the last block: avg (GlobalAveragePooling2D: (N, C)), max (GlobalMaxPooling2D), or none (the block's map, (N, h, w, C)).")
    var pooling: Backbone.Pooling = .avg

    @Option(help: ArgumentHelp("Input side for a folder of images (default: the backbone's, 224 or 299; at least 32, 75 for inception_v3). Shards are read at their packed size.",
                               valueName: "pixels"))
    var size: Int?

    @Option(help: "Images per forward pass.")
    var batchSize: Int = 32

    @Option(help: ArgumentHelp("Rows per resumable part: a rerun after a kill redoes at most one part.", valueName: "rows"))
    var partSize: Int = FeatureExtraction.defaultPartSize

    @Flag(help: "Extract again when DIR already holds features (default: a rerun of a finished run does nothing).")
    var overwrite = false

    @OptionGroup(title: "Run") var runOptions: RunOptions
    @OptionGroup(title: "Compute") var compute: ComputeFlags
    @OptionGroup(title: "Scale out") var shard: ShardFlags

    func validate() throws {
        guard FileIO.isDirectory(source) else { throw ValidationError("src '\(source)' is not a folder (a pack's shards or class folders).") }
        if let a = FileTree.canonical(source), let b = FileTree.canonical(destination), a == b {
            throw ValidationError("--to must differ from src (inputs are never overwritten).")
        }
        guard (1...4096).contains(batchSize) else { throw ValidationError("--batch-size must be 1-4096 (got \(batchSize)).") }
        guard partSize >= 1 else { throw ValidationError("--part-size must be at least 1 (got \(partSize)).") }
        if let size, !(backbone.minimumSize...ModelLimits.maxSide).contains(size) {
            throw ValidationError("--size must be \(backbone.minimumSize)-\(ModelLimits.maxSide) for \(backbone.rawValue) (got \(size)).")
        }
        let choice: WeightsChoice
        do { choice = try WeightsChoice(parsing: weights) } catch { throw ValidationError("--weights: \(error).") }
        if case .file(let path) = choice, !FileIO.exists(path) {
            throw ValidationError("--weights '\(path)' does not exist (use imagenet, none or the path of a Keras weight file).")
        }
    }

    func run() throws {
        OpenMPEnvironment.prepare(threads: compute.threads)
        let quiet = runOptions.quiet
        let folder = FileTree.normalise(destination)
        let extraction = FeatureExtraction(backbone: backbone, pooling: pooling, size: size, batchSize: batchSize, partSize: partSize,
                                           shard: shard.workShard)
        let input: FeatureSource, plan: FeatureExtraction.Plan
        do {
            input = try FeatureSource.open(source, excluding: [destination])
            plan = try extraction.plan(for: input)
        } catch {
            throw commandFailure(error)
        }
        let recorded = try resolveWeights()
        let engine: ComputeEngine, network: Network
        do {
            engine = try ComputeEngine(threads: compute.threads)
            let report: KerasWeightLoading.Report?
            (network, report) = try extraction.network(plan: plan, engine: engine, weightsPath: recorded?.path)
            if let report, !quiet, !report.unusedLayers.isEmpty {
                ReportLines.write("features: \(recorded!.path): \(report.unusedLayers.count) layers of the file are not used (the classifier of a with-top file)")
            }
        } catch {
            throw commandFailure(error)
        }
        if !quiet {
            for note in plan.notes { ReportLines.write("note: \(note)") }
            if recorded != nil, plan.height != backbone.defaultSize || plan.width != backbone.defaultSize {
                ReportLines.write("note: \(backbone.rawValue)'s ImageNet weights were trained on \(backbone.defaultSize)x\(backbone.defaultSize) images; these are \(plan.width)x\(plan.height)")
            }
        }
        let report: FeatureExtraction.Report
        do {
            report = try extraction.run(source: input, plan: plan, network: network, weights: recorded, to: folder, jobs: runOptions.jobs,
                                        strict: runOptions.strict, overwrite: overwrite) { total in
                ProgressReporter(label: "features", total: total, style: quiet ? .quiet : nil)
            }
        } catch {
            throw commandFailure(error)
        }
        if report.alreadyThere {
            ReportLines.write("features: \(folder) already holds these features (\(extraction.manifestFileName)); nothing to do (--overwrite to extract again)")
        } else if !quiet {
            if let why = report.discardedParts { ReportLines.write("note: the parts of an earlier run were not used: \(why)") }
            let splits = report.manifest.splits.map { "\($0.name) \($0.count) rows" }.joined(separator: ", ")
            let shape = "(" + report.manifest.featureShape.map(String.init).joined(separator: ", ") + ")"
            let next = report.manifest.part.map { " (part \($0); once all \($0.count) are there: dataset merge-manifests \(folder))" } ?? ""
            ReportLines.write("\(folder): \(splits); features \(shape) per row from \(backbone.rawValue), \(report.manifest.classes.count) classes\(next)")
        }
        if runOptions.json {
            printJSON(FeaturesSummary(summary: report.summary, folder: folder, alreadyThere: report.alreadyThere, features: report.manifest))
        }
        var options = runOptions
        options.json = false
        try FileJob.report(report.summary, options: options)
    }

    /// The weight file `--weights` names (found or downloaded for imagenet) with its SHA-256; nil for none.
    private func resolveWeights() throws -> FeatureManifest.Weights? {
        let quiet = runOptions.quiet
        let resolved: ResolvedWeights?
        let download = WeightsDownloadDisplay(quiet: quiet)
        do {
            let resolver = try WeightsResolver(environment: ProcessInfo.processInfo.environment)
            resolved = try resolver.resolve(try WeightsChoice(parsing: weights), backbone: backbone.rawValue, includeTop: false) { event in
                download.show(event)
            }
            download.finish()
        } catch {
            download.finish()
            // Its second line says where to put the file by hand: keep it a line of its own.
            let lines = error.description.split(separator: "\n").map(String.init)
            ReportLines.write(["error: " + lines[0]] + lines.dropFirst())
            throw ExitCode(1)
        }
        guard let resolved else { return nil }
        do {
            return FeatureManifest.Weights(path: resolved.path, sha256: try FileDigest.compute(.sha256, ofFile: resolved.path))
        } catch {
            throw commandFailure(error)
        }
    }
}
