import Foundation

/// `dataset merge-manifests`: the N part manifests of a sharded pack (`manifest.wIofN.json`,
/// one per `pack --shard I/N` worker) become the one `manifest.json` that `train`, numpy and
/// WebDataset readers use.
///
/// Every part must be there, from the same N, packed with the same settings (format, classes,
/// labels, image shape and dtype, preparation: decode settings, resize and normalisation;
/// shuffle seed, splits), and list files that are there with the sizes recorded. The merged manifest lists each split's shards in
/// worker order; counts and class counts are summed, and the mean and std come from the parts'
/// exact pixel sums, so they are those a single run writes.
public enum ManifestMerger {
    /// A part manifest and the folder it (and its shard files) is in.
    public struct Located: Sendable {
        public var folder: String
        public var fileName: String
        public var manifest: Manifest

        public init(folder: String, fileName: String, manifest: Manifest) {
            self.folder = folder
            self.fileName = fileName
            self.manifest = manifest
        }

        public var path: String { folder + "/" + fileName }
        var part: Manifest.Part { manifest.part! }
    }

    /// Reads every `manifest.w*of*.json` in `folders`, checks that they are the N parts of one
    /// run, and returns them in worker order.
    public static func parts(in folders: [String]) throws(ManifestMergeError) -> [Located] {
        var found: [Located] = []
        for folder in folders.map(FileTree.normalise) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(isPartName).sorted()
            for name in names {
                let path = folder + "/" + name
                let manifest: Manifest
                do { manifest = try Manifest(path: path) } catch {
                    let reason = (error as? ManifestFieldError).map { "\($0.field): \($0.reason)" } ?? "\(error)"
                    throw .unreadable(path: path, reason: reason)
                }
                guard let part = manifest.part, Manifest.partFileName(part.shard) == name else {
                    throw .misnamed(path: path, holds: manifest.part.map { "part \($0.shard.description)" } ?? "a whole pack's manifest")
                }
                found.append(Located(folder: folder, fileName: name, manifest: manifest))
            }
        }
        guard let first = found.first else { throw .noParts(folders: folders) }
        let count = first.part.shard.count
        var byIndex: [Int: Located] = [:]
        for located in found {
            guard located.part.shard.count == count else { throw .mixedRuns(first: first.path, other: located.path) }
            if let other = byIndex[located.part.shard.index] { throw .duplicate(first: other.path, other: located.path) }
            byIndex[located.part.shard.index] = located
        }
        let missing = (0..<count).filter { byIndex[$0] == nil }.compactMap { try? WorkShard(index: $0, count: count) }
        guard missing.isEmpty else { throw .missing(shards: missing, expected: missing.map(Manifest.partFileName)) }
        return (0..<count).map { byIndex[$0]! }
    }

    /// `manifest.w<digits>of<digits>.json`.
    static func isPartName(_ name: String) -> Bool {
        guard name.hasPrefix("manifest.w"), name.hasSuffix(".json") else { return false }
        let middle = name.dropFirst("manifest.w".count).dropLast(".json".count).split(separator: "of", omittingEmptySubsequences: false)
        return middle.count == 2 && middle.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// The merged manifest of `parts` (from `parts(in:)`), after checking they agree.
    public static func merge(_ parts: [Located]) throws(ManifestMergeError) -> Manifest {
        guard let first = parts.first else { throw .noParts(folders: []) }
        // `parts(in:)` gives only part manifests; a caller that made its own list may not have.
        for located in parts where located.manifest.part == nil {
            throw .misnamed(path: located.path, holds: "a whole pack's manifest")
        }
        let recomputed = first.manifest.normalization.kind == .dataset && first.manifest.image.dtype == NPYDType.uint8.name
        for other in parts.dropFirst() { try checkAgreement(other, with: first, normalizationRecomputed: recomputed) }
        let names = first.manifest.splits.map(\.name)
        var merged = first.manifest
        merged.part = nil
        var statistics: [ChannelStatistics] = []
        merged.splits = names.indices.map { i in
            let splits = parts.map { $0.manifest.splits[i] }
            let pixels = parts.reduce(into: ChannelStatistics()) { $0.merge($1.part.pixelSums[i].statistics) }
            statistics.append(pixels)
            let classCounts = splits.dropFirst().reduce(splits[0].classCounts) { sum, split in zip(sum, split.classCounts).map(+) }
            return Manifest.Split(name: names[i], count: splits.reduce(0) { $0 + $1.count }, classCounts: classCounts,
                                  mean: pixels.mean, std: pixels.std, shards: splits.flatMap(\.shards))
        }
        // As `PackJob`: the statistics of `train`, never of a held-out split.
        let statsSplit = PackJob.statisticsSplit(names)
        let whole = zip(names, statistics).filter { $0.0 == statsSplit }
            .reduce(into: ChannelStatistics()) { $0.merge($1.1) }
        merged.statistics = Manifest.PixelStatistics(split: statsSplit ?? PackJob.noStatisticsSplit, mean: whole.mean, std: whole.std)
        if recomputed { merged.normalization = .dataset(whole) }
        return merged
    }

    private static func checkAgreement(_ other: Located, with first: Located, normalizationRecomputed: Bool) throws(ManifestMergeError) {
        let (a, b) = (other.manifest, first.manifest)
        var fields: [(String, String, String)] = [
            ("format version", "\(a.formatVersion)", "\(b.formatVersion)"),
            ("format", a.format.rawValue, b.format.rawValue),
            ("class list", a.classes.joined(separator: ","), b.classes.joined(separator: ",")),
            ("label kind", a.labels.rawValue, b.labels.rawValue),
            ("image layout", describe(a.image), describe(b.image)),
            ("preparation (decode settings and resize)", describe(pixels(a.preparation)), describe(pixels(b.preparation))),
            ("shuffle seed", a.shuffleSeed.map(String.init) ?? "none", b.shuffleSeed.map(String.init) ?? "none"),
            ("split list", a.splits.map(\.name).joined(separator: ","), b.splits.map(\.name).joined(separator: ",")),
            ("normalisation", a.normalization.kind.rawValue, b.normalization.kind.rawValue),
        ]
        if !normalizationRecomputed { fields.append(("normalisation values", describe(a.normalization), describe(b.normalization))) }
        for (field, mine, theirs) in fields where mine != theirs {
            throw .inconsistent(part: other.path, first: first.path, field: field, values: mine, firstValues: theirs)
        }
    }

    /// A preparation without its normalisation, which is compared on its own (and may be recomputed).
    private static func pixels(_ preparation: ImagePreparation) -> ImagePreparation {
        var preparation = preparation
        preparation.normalization = .none
        return preparation
    }

    private static func describe<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
    }

    /// Checks that every file each part lists is in its folder with the size recorded (the
    /// SHA-256 in the manifest is there for a full check with `sha256sum`).
    public static func checkFiles(_ parts: [Located]) throws(ManifestMergeError) {
        for part in parts {
            for file in part.manifest.splits.flatMap({ $0.shards.flatMap(\.files) }) {
                let path = part.folder + "/" + file.name
                guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                      let size = (attributes[.size] as? NSNumber)?.intValue else {
                    throw .file(part: part.path, name: file.name, reason: "is missing")
                }
                guard size == file.bytes else {
                    throw .file(part: part.path, name: file.name, reason: "has \(size) bytes, not the \(file.bytes) recorded (written by another run?)")
                }
            }
        }
    }

    /// Writes `manifest`, with `classes.txt`, into `destination` (created); part files in other
    /// folders are hard-linked there (copied across file systems) first, so the manifest only
    /// ever lists files beside it. A `manifest.json` already there is replaced and the shard
    /// files only it listed are removed, as `pack --overwrite` does, so a loader globbing
    /// `train-*.npy` never mixes an older pack's shards with these.
    public static func write(_ manifest: Manifest, parts: [Located], to destination: String) throws(ManifestMergeError) {
        let destination = FileTree.normalise(destination)
        let previous = try? Manifest(path: destination + "/" + Manifest.fileName)
        do {
            try FileIO.createDirectories(destination)
            let here = FileTree.canonical(destination)
            for part in parts where FileTree.canonical(part.folder) != here {
                for name in part.manifest.fileNames {
                    let (source, target) = (part.folder + "/" + name, destination + "/" + name)
                    do { try FileIO.linkAtomically(source, to: target) } catch { try FileTransfer.copy(source, to: target) }
                }
            }
            try FileIO.writeAtomically(Array(ClassList.text(manifest.classes).utf8), to: destination + "/" + NanonetsLayout.classesFile)
            try FileIO.writeAtomically(manifest.encoded(), to: destination + "/" + Manifest.fileName)
        } catch {
            throw .write(error)
        }
        if let previous { PackJob.removeFiles(of: previous, notIn: manifest, folder: destination) }
    }
}
