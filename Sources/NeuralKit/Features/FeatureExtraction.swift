#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DatasetKit
import Foundation

/// `dataset features`: a pretrained backbone without its classifier runs over every image of a
/// pack or an image tree, and its outputs (bottleneck features) are written per split with the
/// labels and the source of every row, as the transfer-learning tutorials save them, but in
/// the input's order and with every row (Keras' `predict_generator` users lost both).
///
/// Images are decoded on `jobs` threads while the network runs the previous batch on oneDNN's
/// threads; memory holds a window of two batches, never the dataset. Rows are written in parts
/// of `partSize`, each recorded in a journal once whole, so a killed run, rerun, extracts only
/// the parts it had not finished; the parts are then joined into the split's files. Under
/// `--shard I/N` a worker extracts the rows whose source hashes to it, and `FeatureMerger`
/// joins the N workers' outputs into what one run writes.
public struct FeatureExtraction: Sendable {
    public var backbone: Backbone
    public var pooling: Backbone.Pooling
    /// The input side for an image tree (default: the backbone's `defaultSize`); for shards,
    /// when given, it must be the packed size.
    public var size: Int?
    public var batchSize: Int
    /// Rows per resumable part.
    public var partSize: Int
    public var shard: WorkShard?
    public var limits: InputLimits

    public static let defaultPartSize = 2048

    public init(backbone: Backbone, pooling: Backbone.Pooling = .avg, size: Int? = nil, batchSize: Int = 32,
                partSize: Int = FeatureExtraction.defaultPartSize, shard: WorkShard? = nil, limits: InputLimits = InputLimits()) {
        self.backbone = backbone
        self.pooling = pooling
        self.size = size
        self.batchSize = batchSize
        self.partSize = partSize
        self.shard = shard
        self.limits = limits
    }

    /// How a source's images become the backbone's input.
    public struct Plan: Sendable {
        public var height: Int
        public var width: Int
        /// The preparation applied (for shards: the pack's, with the backbone's normalisation).
        public var preparation: ImagePreparation
        /// Worth telling the user (a normalisation recorded in the pack and not used here).
        public var notes: [String]
    }

    /// The input size and preparation for `source`, or why its images cannot feed the backbone
    /// (with what to do about it).
    public func plan(for source: FeatureSource) throws(FeatureError) -> Plan {
        let name = backbone.rawValue
        guard let manifest = source.manifest else {
            let side = size ?? backbone.defaultSize
            guard side >= backbone.minimumSize, side <= ModelLimits.maxSide else {
                throw .preparation(source.path, "--size \(side): \(name) reads \(backbone.minimumSize) to \(ModelLimits.maxSide) pixels a side")
            }
            let resize = ResizeSpec(size: PixelSize(width: side, height: side), mode: .stretch)
            return Plan(height: side, width: side, preparation: ImagePreparation(resize: resize, normalization: backbone.normalization), notes: [])
        }
        let (height, width) = (manifest.image.height, manifest.image.width)
        let packed = "\(width)x\(height)"
        if let size, size != height || size != width {
            throw .preparation(source.path, "the shards hold \(packed) images, not --size \(size): pack the images again at that size "
                               + "(dataset pack <images> --to <shards> --size \(size)), or leave --size out to use \(packed)")
        }
        guard height >= backbone.minimumSize, width >= backbone.minimumSize, height <= ModelLimits.maxSide, width <= ModelLimits.maxSide else {
            throw .preparation(source.path, "the shards hold \(packed) images; \(name) reads \(backbone.minimumSize) to \(ModelLimits.maxSide) "
                               + "pixels a side: pack them again with --size \(max(backbone.minimumSize, backbone.defaultSize))")
        }
        var preparation = manifest.preparation
        var notes: [String] = []
        let wanted = backbone.normalization
        if manifest.image.dtype == NPYDType.float32.name {
            // The values are fixed: only the backbone's own normalisation will do (a named kind's
            // numbers were checked against the name when the manifest was read).
            guard manifest.normalization.kind == wanted.kind else {
                throw .preparation(source.path, "the shards hold float32 values normalised with '\(manifest.normalization.kind.rawValue)', but "
                                   + "\(name) reads Keras' preprocess_input '\(wanted.kind.rawValue)': pack them again with "
                                   + "--normalize \(wanted.kind.rawValue), or with --dtype uint8 (normalised here)")
            }
        } else if manifest.normalization.kind != wanted.kind {
            notes.append("the pack records normalisation '\(manifest.normalization.kind.rawValue)'; its uint8 pixels are normalised here "
                         + "with \(name)'s '\(wanted.kind.rawValue)' (Keras' preprocess_input)")
        }
        preparation.normalization = wanted
        return Plan(height: height, width: width, preparation: preparation, notes: notes)
    }

    /// The backbone without its classifier, for `plan`'s input size and `batchSize`: weights
    /// from the Keras file at `weightsPath`, or Keras' initialisers (seed 0) without one.
    public func network(plan: Plan, engine: ComputeEngine, weightsPath: String?) throws -> (Network, KerasWeightLoading.Report?) {
        let spec = try backbone.spec(height: plan.height, width: plan.width, includeTop: false, pooling: pooling)
        let network = try Network(spec: spec, batchSize: batchSize, training: false, engine: engine, classifier: false,
                                  initializeWeights: weightsPath == nil)
        guard let weightsPath else { return (network, nil) }
        let report = try KerasWeightLoading.load(try KerasWeightFile(path: weightsPath), backbone: backbone, into: network)
        return (network, report)
    }

    /// The shape of one row of features from `network`: `[C]` pooled, else `[h, w, C]` (NHWC).
    public static func featureShape(_ network: Network) -> [Int] {
        let dims = network.output.dims
        return dims.count == 4 ? [dims[2], dims[3], dims[1]] : Array(dims.dropFirst())
    }

    /// What a run did.
    public struct Report: Sendable {
        /// The record written (or found, when the folder already held these features).
        public var manifest: FeatureManifest
        public var summary: RunSummary
        /// True when the folder already held features of these settings: nothing was done.
        public var alreadyThere: Bool
        /// Why the parts of an earlier run could not be used, when there were some.
        public var discardedParts: String?
    }

    /// The record's file name: `features.json`, or a worker's `features.wIofN.json`.
    public var manifestFileName: String { shard.map { $0.partName(FeatureManifest.fileName) } ?? FeatureManifest.fileName }

    /// Runs `network` (from `network(plan:...)`) over `source` and writes the features into
    /// `folder`. `makeProgress` gets the number of rows left to extract. Bad images are
    /// reported and left out (`strict`: the first one stops the run, finished parts kept).
    public func run(source: FeatureSource, plan: Plan, network: Network, weights: FeatureManifest.Weights?, to folder: String,
                    jobs: Int, strict: Bool = false, overwrite: Bool = false,
                    makeProgress: (Int) -> ProgressReporter? = { _ in nil }) throws -> Report {
        let start = Date()
        let featureShape = Self.featureShape(network)
        let folder = FileTree.normalise(folder)
        let record = FeatureManifest(
            backbone: backbone, pooling: pooling, input: .init(height: plan.height, width: plan.width, channels: 3), featureShape: featureShape,
            weights: weights, preparation: plan.preparation,
            source: .init(kind: source.kind, path: source.path, manifestSHA256: source.manifestSHA256),
            classes: source.classes, labels: source.multiLabel ? .multiHot : .class, batchSize: batchSize, splits: [], part: shard)
        let recordPath = folder + "/" + manifestFileName
        let listing = shard.map { shard in source.failures.filter { shard.owns($0, under: source.path) } } ?? source.failures
        let mine = source.splits.map { split in split.rows.indices.filter { shard?.contains(split.rows[$0].source) ?? true } }
        if !overwrite, FileIO.exists(recordPath) {
            let existing = try FeatureManifest(path: recordPath)
            if let difference = record.settingsDifference(existing) {
                throw FeatureError.output(folder, "holds features made with other settings (\(difference.field): \(difference.other), now "
                                          + "\(difference.this)): --overwrite to replace them, or write to another folder")
            }
            let paths = zip(source.splits, mine).flatMap { split, rows in rows.map { displayPath(source, split.rows[$0]) } }
            var summary = RunSummary(command: "features", paths: paths, outcomes: [ItemOutcome?](repeating: .skipped, count: paths.count), seconds: 0)
            summary.shard = coverage(mine, source)
            return Report(manifest: existing, summary: summary, alreadyThere: true, discardedParts: nil)
        }
        // Under --strict a file found unusable while listing stops the run before anything is written.
        if strict, let first = listing.first { throw FeatureError.stopped(first) }
        do { try FileIO.createDirectories(folder) } catch { throw FeatureError.output(folder, error.description) }
        let work = folder + "/.features-work" + (shard.map { "." + $0.tag } ?? "")
        if overwrite { try? FileManager.default.removeItem(atPath: work) }
        do { try FileIO.createDirectories(work) } catch { throw FeatureError.output(work, error.description) }
        let journal = FeatureJournal(path: work + "/" + FeatureJournal.fileName)
        let header = FeatureJournal.Header(settings: record.settings, featureShape: featureShape, partSize: partSize, shard: shard)
        let (entries, discarded) = journal.read(expecting: header)
        do {
            if entries.isEmpty { try journal.start(header) } else { try journal.terminateLastLine() }
        } catch {
            throw FeatureError.output(work, error.description)
        }

        // Which parts are done already: an entry whose files are there as recorded, for the same input rows.
        struct Part { var split: Int; var index: Int; var rows: ArraySlice<Int>; var entry: FeatureJournal.Entry? }
        var parts: [Part] = []
        for (s, rows) in mine.enumerated() {
            for (p, first) in stride(from: 0, to: rows.count, by: partSize).enumerated() {
                let slice = rows[first..<min(rows.count, first + partSize)]
                var entry = entries[FeatureJournal.key(splitIndex: s, part: p)]
                if let found = entry, !partIsWhole(found, split: source.splits[s].name, rows: slice, in: source, splitIndex: s, part: p,
                                                     work: work, featureShape: featureShape) {
                    entry = nil
                }
                parts.append(Part(split: s, index: p, rows: slice, entry: entry))
            }
        }
        let toDo = parts.filter { $0.entry == nil }.reduce(0) { $0 + $1.rows.count }
        let progress = makeProgress(toDo)
        defer { progress?.finish() }

        var paths: [String] = [], outcomes: [ItemOutcome?] = []
        var loaders: [Int: FeatureRowLoader] = [:]
        let batch = InputBatch(network: network, height: plan.height, width: plan.width, normalization: plan.preparation.normalization)
        for i in parts.indices {
            let part = parts[i]
            let split = source.splits[part.split]
            if let entry = part.entry {
                let failed = Dictionary(entry.failures.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
                for row in part.rows {
                    let path = displayPath(source, split.rows[row])
                    paths.append(path)
                    outcomes.append(failed[path].map { .failed($0) } ?? .skipped)
                }
                continue
            }
            if loaders[part.split] == nil {
                let wanted = parts.filter { $0.split == part.split && $0.entry == nil }.flatMap(\.rows)
                loaders[part.split] = try FeatureRowLoader(source: source, split: part.split, preparation: plan.preparation,
                                                           size: PixelSize(width: plan.width, height: plan.height), limits: limits, wanted: wanted)
            }
            let (entry, partOutcomes) = try extract(part.rows, split: split, splitIndex: part.split, part: part.index, source: source,
                                                    loader: loaders[part.split]!, batch: batch, featureShape: featureShape,
                                                    work: work, jobs: jobs, strict: strict, progress: progress)
            do { try journal.append(entry) } catch { throw FeatureError.output(work, error.description) }
            parts[i].entry = entry
            paths += part.rows.map { displayPath(source, split.rows[$0]) }
            outcomes += partOutcomes
            if part.index == parts.filter({ $0.split == part.split }).count - 1 { loaders[part.split] = nil }
        }

        // Every part is whole: join each split's parts into its files.
        var splits: [FeatureManifest.Split] = []
        for (s, split) in source.splits.enumerated() {
            let own = parts.filter { $0.split == s }
            let files = try join(own.map { (index: $0.index, entry: $0.entry!) }, split: split.name, splitIndex: s, work: work, folder: folder,
                                 featureShape: featureShape, classes: source.classes.count, multiLabel: source.multiLabel)
            let rows = own.reduce(0) { $0 + $1.entry!.rows }
            splits.append(.init(name: split.name, count: rows, failed: own.reduce(0) { $0 + $1.entry!.failures.count }, files: files))
        }
        var manifest = record
        manifest.splits = splits
        do {
            try FileIO.writeAtomically(Array(ClassList.text(source.classes).utf8), to: folder + "/" + NanonetsLayout.classesFile)
            try FileIO.writeAtomically(manifest.encoded(), to: recordPath)
        } catch {
            throw FeatureError.output(folder, error.description)
        }
        try? FileManager.default.removeItem(atPath: work)
        for split in source.splits { FileIO.removeStaleTemporaries(in: folder + "/" + split.name) }
        FileIO.removeStaleTemporaries(in: folder)

        var summary = RunSummary(command: "features", paths: listing.map(\.path) + paths,
                                 outcomes: listing.map { .failed($0.reason) } + outcomes, seconds: Date().timeIntervalSince(start))
        summary.warnings = (shard.map { shard in source.warnings.filter { shard.owns($0, under: source.path) } } ?? source.warnings) + summary.warnings
        summary.shard = coverage(mine, source)
        return Report(manifest: manifest, summary: summary, alreadyThere: false, discardedParts: discarded)
    }

    private func coverage(_ mine: [[Int]], _ source: FeatureSource) -> WorkShard.Coverage? {
        shard.map { WorkShard.Coverage(shard: $0, items: mine.reduce(0) { $0 + $1.count }, total: source.rowCount) }
    }

    /// How a row is named in reports: the image's path, or the shard file and row.
    func displayPath(_ source: FeatureSource, _ row: FeatureSource.Row) -> String { source.path + "/" + row.source }
}
