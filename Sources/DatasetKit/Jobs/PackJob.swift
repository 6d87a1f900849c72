#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `dataset pack`: labelled images become shards a trainer reads directly (numpy arrays or
/// WebDataset tars) and a `manifest.json` describing them.
///
/// Images are decoded and resized in parallel by `preparation` (what `dataset resize` does on
/// its RGB path), then written in order, so a shard's rows follow the (optionally shuffled)
/// item order whatever `jobs` is. Memory holds two small windows of resized rows and the labels
/// of the shard being written, never the dataset. The manifest records `preparation` whole,
/// with the measured statistics for `dataset` normalisation.
public struct PackJob: Sendable {
    /// Decode settings, resize and normalisation. A `dataset` normalisation's numbers are
    /// measured by the run (those given here are not used).
    public var preparation: ImagePreparation
    /// What a file may cost to read (they refuse files, never change pixels, so are not recorded).
    public var limits: InputLimits
    public var format: ShardFormat
    /// Rows per shard.
    public var shardSize: Int
    /// `uint8` pixels, or `float32` values with `normalization` applied (npy only).
    public var dtype: NPYDType
    /// Shuffle each split's rows with this seed; nil keeps sorted path order.
    public var shuffleSeed: UInt64?
    /// JPEG quality of WebDataset samples.
    public var jpegQuality: Int
    /// Pack only this worker's part (`--shard I/N`): its own shard names and `manifest.wIofN.json`.
    /// Classes, the shuffled order and float32 `dataset` statistics still come from the whole
    /// input, so every worker's rows are those of one run and the parts merge.
    public var shard: WorkShard?

    public init(preparation: ImagePreparation, limits: InputLimits = InputLimits(), format: ShardFormat = .npy,
                shardSize: Int = 1000, dtype: NPYDType = .uint8, shuffleSeed: UInt64? = nil, jpegQuality: Int = 95,
                shard: WorkShard? = nil) {
        self.preparation = preparation
        self.limits = limits
        self.format = format
        self.shardSize = shardSize
        self.dtype = dtype
        self.shuffleSeed = shuffleSeed
        self.jpegQuality = jpegQuality
        self.shard = shard
    }

    /// The kind of `preparation.normalization`; setting it gives that kind's numbers.
    public var normalization: Normalization.Kind {
        get { preparation.normalization.kind }
        set { preparation.normalization = Normalization(newValue) }
    }

    /// The manifest this run writes: `manifest.json`, or a worker's `manifest.wIofN.json`.
    public var manifestFileName: String { shard.map(Manifest.partFileName) ?? Manifest.fileName }

    /// What a run wrote and what happened to each image.
    public struct Report: Sendable {
        /// Nil when `strict` stopped the run (no manifest is written then).
        public var manifest: Manifest?
        public var summary: RunSummary
    }

    /// The split whose pixels give the manifest's statistics (and `dataset` normalisation):
    /// `train`, never a held-out split; nil when the pack has no train split.
    static func statisticsSplit(_ names: [String]) -> String? {
        names.contains(PackInput.defaultSplit) ? PackInput.defaultSplit : nil
    }

    /// `statistics.split` of a pack without a train split: its mean and std are zeros, not the
    /// statistics of test data.
    public static let noStatisticsSplit = "none"

    /// Packs `input` into `folder` (created). Bad images are reported in the summary and left
    /// out; with `strict` the first one stops the run. Throws only when files cannot be written.
    public func run(_ input: PackInput, to folder: String, jobs: Int, strict: Bool = false,
                    progress: ProgressReporter? = nil) throws(PackError) -> Report {
        let start = Date()
        let whole = shuffleSeed.map { input.shuffled(seed: $0) } ?? input
        let input = shard.map { whole.part($0) } ?? whole
        do { try FileIO.createDirectories(folder) } catch { throw .file(error) }
        let previous = try? Manifest(path: folder + "/" + manifestFileName)
        let statsSplit = Self.statisticsSplit(input.splits.map(\.name))
        if statsSplit == nil && normalization == .dataset {
            throw .noTrainSplit(folder: input.root, splits: input.splits.map(\.name))
        }
        // float32 with the dataset's own statistics needs them before the first row: one more pass.
        var fixed: Normalization? = nil
        if dtype == .float32 {
            fixed = normalization == .dataset
                ? .dataset(statisticsPass(whole, split: statsSplit, jobs: jobs)) : preparation.normalization
        }
        var paths: [String] = [], outcomes: [ItemOutcome?] = []
        var splits: [Manifest.Split] = []
        var sums: [Manifest.PixelSums] = []
        var statistics = ChannelStatistics()
        var stopped = false
        for split in input.splits where !stopped {
            let result = try packSplit(split.name, split.items, input: input, folder: folder, jobs: jobs, strict: strict,
                                       normalization: fixed, progress: progress)
            paths += split.items.map { input.root + "/" + $0.path }
            outcomes += result.outcomes
            stopped = result.stopped
            if statsSplit == split.name { statistics.merge(result.statistics) }
            sums.append(Manifest.PixelSums(result.statistics))
            splits.append(Manifest.Split(name: split.name, count: result.rows, classCounts: result.classCounts,
                                         mean: result.statistics.mean, std: result.statistics.std, shards: result.shards))
        }
        for split in input.splits.dropFirst(splits.count) {
            paths += split.items.map { input.root + "/" + $0.path }
            outcomes += [ItemOutcome?](repeating: nil, count: split.items.count)
        }
        var summary = RunSummary(command: "pack", paths: input.failures.map(\.path) + paths,
                                 outcomes: input.failures.map { .failed($0.reason) } + outcomes,
                                 seconds: Date().timeIntervalSince(start))
        summary.warnings = input.warnings + summary.warnings
        if statsSplit == nil {
            let names = input.splits.map(\.name).joined(separator: ", ")
            summary.warnings.append(Problem(path: input.root, reason: "no train split (splits: \(names)): mean/std are not computed (statistics.split \"\(Self.noStatisticsSplit)\"), so no held-out images shape normalisation"))
        }
        summary.shard = shard.map { WorkShard.Coverage(shard: $0, items: input.itemCount, total: whole.itemCount) }
        if stopped { return Report(manifest: nil, summary: summary) }
        var recorded = preparation
        recorded.normalization = fixed ?? (normalization == .dataset ? .dataset(statistics) : preparation.normalization)
        var manifest = Manifest(
            format: format, classes: input.classes, labels: input.isMultiLabel ? .multiHot : .class,
            image: Manifest.ImageLayout(height: preparation.resize.size.height, width: preparation.resize.size.width, dtype: dtype.name,
                                        jpegQuality: format == .webdataset ? jpegQuality : nil),
            preparation: recorded,
            statistics: Manifest.PixelStatistics(split: statsSplit ?? Self.noStatisticsSplit, mean: statistics.mean, std: statistics.std),
            shuffleSeed: shuffleSeed, splits: splits)
        manifest.part = shard.map { Manifest.Part(shard: $0, pixelSums: sums) }
        do {
            try FileIO.writeAtomically(Array(ClassList.text(input.classes).utf8), to: folder + "/" + NanonetsLayout.classesFile)
            try FileIO.writeAtomically(manifest.encoded(), to: folder + "/" + manifestFileName)
        } catch {
            throw .file(error)
        }
        if let previous { Self.removeFiles(of: previous, notIn: manifest, folder: folder) }
        // What an interrupted earlier run left half-written goes once this one has finished.
        FileIO.removeStaleTemporaries(in: folder)
        summary.seconds = Date().timeIntervalSince(start)
        summary.itemsPerSecond = summary.seconds > 0 ? Double(summary.done) / summary.seconds : 0
        return Report(manifest: manifest, summary: summary)
    }

    private struct SplitResult {
        var shards: [Manifest.Shard] = []
        var outcomes: [ItemOutcome?]
        var rows = 0
        var classCounts: [Int]
        var statistics = ChannelStatistics()
        var stopped = false
    }

    private func packSplit(_ name: String, _ items: [PackItem], input: PackInput, folder: String, jobs: Int, strict: Bool,
                           normalization: Normalization?, progress: ProgressReporter?) throws(PackError) -> SplitResult {
        let imageShape = [preparation.resize.size.height, preparation.resize.size.width, 3]
        let (format, dtype, classes) = (self.format, self.dtype, input.classes)
        let sequence = ShardSequence(split: shard.map { name + "-" + $0.tag } ?? name, format: format, shardSize: shardSize, candidates: items.count) {
            (shardName, expectedRows) throws(PackError) -> any ShardWriter in
            switch format {
            case .npy:
                try NPYShardWriter(folder: folder, name: shardName, imageShape: imageShape, dtype: dtype, expectedRows: expectedRows,
                                   classCount: classes.count, multiHot: input.isMultiLabel)
            case .webdataset:
                try WebDatasetShardWriter(folder: folder, name: shardName, classes: classes)
            }
        }
        var result = SplitResult(outcomes: [ItemOutcome?](repeating: nil, count: items.count),
                                 classCounts: [Int](repeating: 0, count: classes.count))
        let job = self, root = input.root
        do {
            try ParallelRunner.forEachInOrder(count: items.count, jobs: jobs, window: max(16, 8 * jobs), produce: { index in
                job.makeRow(root + "/" + items[index].path, normalization: normalization)
            }, consume: { (index, made: Result<PackedRow, PackRowFailure>) throws(PackError) in
                let item = items[index]
                switch made {
                case .success(let row):
                    try sequence.append(row, label: item.label, source: item.path)
                    result.statistics.merge(row.statistics)
                    switch item.label {
                    case .index(let label): result.classCounts[label] += 1
                    case .multiHot(let vector): for (c, bit) in vector.enumerated() { result.classCounts[c] += Int(bit) }
                    }
                    result.outcomes[index] = .done(warning: row.warning)
                case .failure(let failure):
                    sequence.skip()
                    result.outcomes[index] = .failed(failure.reason)
                    if strict { throw .stopped(Problem(path: root + "/" + item.path, reason: failure.reason)) }
                }
                progress?.record(result.outcomes[index]!)
            })
            result.shards = try sequence.finish()
        } catch {
            sequence.cancel()
            guard case .stopped = error else { throw error }
            result.stopped = true
        }
        result.rows = sequence.rowCount
        return result
    }

    /// Why one image could not become a row.
    struct PackRowFailure: Error, Sendable { var reason: String }

    /// One image read, resized, measured and encoded for the shard format.
    func makeRow(_ path: String, normalization: Normalization?) -> Result<PackedRow, PackRowFailure> {
        do {
            let decoded = try preparation.prepare(try FileIO.readImage(path, limits: limits), limits: limits)
            let image = decoded.image
            guard image.width == preparation.resize.size.width, image.height == preparation.resize.size.height else {
                return .failure(PackRowFailure(reason: "resized to \(image.width)x\(image.height), not \(preparation.resize.size)"))
            }
            let payload: [UInt8]
            switch (format, normalization) {
            case (.webdataset, _): payload = try ImageEncoder.encode(image, as: .jpeg(quality: jpegQuality, subsampling: .s420))
            case (.npy, let normalization?): payload = normalization.float32Bytes(image.pixels)
            case (.npy, nil): payload = image.pixels
            }
            return .success(PackedRow(payload: payload, statistics: ChannelStatistics(image),
                                      warning: ResizeJob.misnamedWarning(path: path, format: decoded.format)))
        } catch {
            guard case .failed(let reason) = ItemOutcome.failure(error) else { return .failure(PackRowFailure(reason: "\(error)")) }
            return .failure(PackRowFailure(reason: reason))
        }
    }

    /// The first pass for `--dtype float32 --normalize dataset`: statistics of the resized pixels
    /// of `split`. Images that fail are left out here and reported later.
    private func statisticsPass(_ input: PackInput, split: String?, jobs: Int) -> ChannelStatistics {
        let items = input.splits.filter { $0.name == split }.flatMap(\.items)
        let job = self
        let perImage = ParallelRunner.map(0..<items.count, jobs: jobs) { index -> ChannelStatistics in
            (try? job.preparation.prepare(FileIO.readImage(input.root + "/" + items[index].path, limits: job.limits), limits: job.limits))
                .map { ChannelStatistics($0.image) }
                ?? ChannelStatistics()
        }
        return perImage.reduce(into: ChannelStatistics()) { $0.merge($1) }
    }

    /// Removes the files an earlier pack listed that this one did not write again (a repack
    /// with fewer shards), so a loader globbing `train-*.npy` never mixes two packs. Only
    /// names of the form pack gives shard files, directly in `folder`, and only regular files
    /// (or a symlink's own name): the old manifest may have been edited by anyone.
    static func removeFiles(of previous: Manifest, notIn current: Manifest, folder: String) {
        let kept = Set(current.fileNames)
        for name in previous.fileNames where !kept.contains(name) && ShardFormat.isShardFileName(name) {
            var info = stat()
            guard lstat(folder + "/" + name, &info) == 0,
                  [S_IFREG, S_IFLNK].contains(info.st_mode & S_IFMT) else { continue }
            unlink(folder + "/" + name)
        }
    }
}
