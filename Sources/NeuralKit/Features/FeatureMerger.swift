import DatasetKit
import Foundation

/// `dataset merge-manifests` for features: the outputs of N `features --shard I/N` workers
/// (`features.wIofN.json` and per split `features.wIofN.npy`, `labels.wIofN.npy`,
/// `files.wIofN.txt`, `rows.wIofN.npy`) become exactly what one run writes: each split's rows
/// interleaved back into the input's order by the row numbers every worker recorded, so
/// `features.npy`, `labels.npy` and `files.txt` are byte for byte those of one run.
///
/// Every part must be there, from the same N and the same settings, and every file must be
/// there with the size, dtype and shape recorded; row numbers must rise within a part and
/// never repeat across parts. The workers' files are left in place.
public enum FeatureMerger {
    /// A worker's record and the folder it (and its files) is in.
    public struct Located: Sendable {
        public var folder: String
        public var fileName: String
        public var manifest: FeatureManifest

        public var path: String { folder + "/" + fileName }
    }

    /// `features.w<digits>of<digits>.json`.
    static func isPartName(_ name: String) -> Bool {
        guard name.hasPrefix("features.w"), name.hasSuffix(".json") else { return false }
        let middle = name.dropFirst("features.w".count).dropLast(".json".count).split(separator: "of", omittingEmptySubsequences: false)
        return middle.count == 2 && middle.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Whether any of `folders` holds a worker's features record.
    public static func hasParts(in folders: [String]) -> Bool {
        folders.contains { folder in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).contains(where: isPartName) }
    }

    /// Reads every worker record in `folders`, checks they are the N parts of one run, and
    /// returns them in worker order.
    public static func parts(in folders: [String]) throws(FeatureError) -> [Located] {
        var found: [Located] = []
        for folder in folders.map(FileTree.normalise) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter(isPartName).sorted()
            for name in names {
                let manifest = try FeatureManifest(path: folder + "/" + name)
                guard let part = manifest.part, part.partName(FeatureManifest.fileName) == name else {
                    throw .part(folder + "/" + name, "holds \(manifest.part.map { "part \($0)" } ?? "a whole run's record"), not what its name says")
                }
                found.append(Located(folder: folder, fileName: name, manifest: manifest))
            }
        }
        guard let first = found.first, let count = first.manifest.part?.count else {
            throw .source(folders.joined(separator: ", "), "holds no features.wIofN.json (written by `dataset features --shard I/N`)")
        }
        var byIndex: [Int: Located] = [:]
        for located in found {
            guard located.manifest.part!.count == count else { throw .part(located.path, "is a part of \(located.manifest.part!.count) workers; \(first.path) of \(count)") }
            if let other = byIndex[located.manifest.part!.index] { throw .part(located.path, "is the same worker as \(other.path)") }
            byIndex[located.manifest.part!.index] = located
        }
        let missing = (0..<count).filter { byIndex[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.compactMap { try? WorkShard(index: $0, count: count) }.map { $0.partName(FeatureManifest.fileName) }
            throw .source(folders.joined(separator: ", "), "the parts \(names.joined(separator: ", ")) are missing: run those workers first")
        }
        return (0..<count).map { byIndex[$0]! }
    }

    /// Merges `parts` (from `parts(in:)`) into `destination`; returns the record written.
    public static func merge(_ parts: [Located], to destination: String) throws -> FeatureManifest {
        let first = parts[0]
        for other in parts.dropFirst() {
            if let difference = other.manifest.settingsDifference(first.manifest) {
                throw FeatureError.part(other.path, "was made with \(difference.field) \(difference.this), \(first.path) with \(difference.other)")
            }
            guard other.manifest.featureShape == first.manifest.featureShape, other.manifest.splits.map(\.name) == first.manifest.splits.map(\.name) else {
                throw FeatureError.part(other.path, "lists other splits or feature shapes than \(first.path)")
            }
        }
        let destination = FileTree.normalise(destination)
        var merged = first.manifest
        merged.part = nil
        merged.splits = []
        for (s, name) in first.manifest.splits.map(\.name).enumerated() {
            let (count, failed) = parts.reduce((0, 0)) { ($0.0 + $1.manifest.splits[s].count, $0.1 + $1.manifest.splits[s].failed) }
            let files = try mergeSplit(name, index: s, parts: parts, into: destination, featureShape: first.manifest.featureShape,
                                       classes: first.manifest.classes.count, multiLabel: first.manifest.labels == .multiHot, count: count)
            merged.splits.append(.init(name: name, count: count, failed: failed, files: files))
        }
        do {
            try FileIO.writeAtomically(Array(ClassList.text(merged.classes).utf8), to: destination + "/" + NanonetsLayout.classesFile)
            try FileIO.writeAtomically(merged.encoded(), to: destination + "/" + FeatureManifest.fileName)
        } catch {
            throw FeatureError.output(destination, error.description)
        }
        return merged
    }

    /// One worker's files of one split, opened and checked against its record.
    private struct PartFiles {
        var features: NPYReader
        var labels: NPYReader
        var rows: [Int64]
        var names: [ArraySlice<UInt8>]
    }

    private static func open(_ part: Located, split s: Int, featureShape: [Int], classes: Int, multiLabel: Bool) throws -> PartFiles {
        let split = part.manifest.splits[s]
        func file(_ role: String) throws -> String {
            let record = split.files.first { $0.role == role }!
            let path = part.folder + "/" + record.name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw FeatureError.part(path, "is missing (listed in \(part.path))") }
            guard Int(info.st_size) == record.bytes else {
                throw FeatureError.part(path, "has \(info.st_size) bytes, not the \(record.bytes) \(part.path) records (written by another run?)")
            }
            return path
        }
        func reader(_ role: String, _ dtype: NPYDType, _ rowShape: [Int]) throws -> NPYReader {
            let reader = try NPYReader(path: try file(role))
            guard reader.dtype == dtype, reader.shape == [split.count] + rowShape else {
                throw FeatureError.part(reader.path, "holds \(reader.dtype.name) \(reader.shape), not \(dtype.name) \([split.count] + rowShape)")
            }
            return reader
        }
        let features = try reader("features", .float32, featureShape)
        let labels = try reader("labels", multiLabel ? .uint8 : .int64, multiLabel ? [classes] : [])
        let rowsReader = try reader("rows", .int64, [])
        let rows = rowsReader.int64Values()
        for i in rows.indices where rows[i] < 0 || (i > 0 && rows[i] <= rows[i - 1]) {
            throw FeatureError.part(rowsReader.path, "row numbers must rise (row \(i) holds \(rows[i]))")
        }
        let namesPath = try file("files")
        let text = try FileIO.read(namesPath)
        var names = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        if names.last?.isEmpty == true { names.removeLast() }
        guard names.count == split.count, text.isEmpty || text.last == 0x0A else {
            throw FeatureError.part(namesPath, "holds \(names.count) lines for \(split.count) rows")
        }
        return PartFiles(features: features, labels: labels, rows: rows, names: names)
    }

    private static func mergeSplit(_ name: String, index s: Int, parts: [Located], into destination: String, featureShape: [Int],
                                   classes: Int, multiLabel: Bool, count: Int) throws -> [FeatureManifest.File] {
        let opened = try parts.map { try open($0, split: s, featureShape: featureShape, classes: classes, multiLabel: multiLabel) }
        do { try FileIO.createDirectories(destination + "/" + name) } catch { throw FeatureError.output(destination + "/" + name, error.description) }
        let whole = FeatureManifest.fileNames(split: name, part: nil)
        let path = { (role: String) in destination + "/" + whole.first { $0.role == role }!.name }
        let labelShape = multiLabel ? [classes] : []
        let features = try NPYWriter(path: path("features"), dtype: .float32, rowShape: featureShape, expectedRows: count)
        let labels = try NPYWriter(path: path("labels"), dtype: multiLabel ? .uint8 : .int64, rowShape: labelShape, expectedRows: count)
        let names = try AtomicFileOutput(path: path("files"))
        // N-way merge by row number: every part is in rising order, so the smallest head is next.
        var next = [Int](repeating: 0, count: opened.count)
        var last: Int64 = -1
        for _ in 0..<count {
            var pick = -1
            for p in opened.indices where next[p] < opened[p].rows.count {
                if pick < 0 || opened[p].rows[next[p]] < opened[pick].rows[next[pick]] { pick = p }
            }
            let row = next[pick], number = opened[pick].rows[row]
            guard number > last else {
                throw FeatureError.part(parts[pick].path, "split \(name): row \(number) is also in another worker's part")
            }
            last = number
            try features.append(opened[pick].features.row(row))
            try labels.append(opened[pick].labels.row(row))
            try names.write(Array(opened[pick].names[row]) + [0x0A])
            next[pick] += 1
        }
        var records: [FeatureManifest.File] = []
        let (featureDigest, featureBytes) = try features.finish()
        records.append(.init(name: whole[0].name, role: "features", shape: [count] + featureShape, dtype: "float32", bytes: featureBytes, sha256: featureDigest))
        let (labelDigest, labelBytes) = try labels.finish()
        records.append(.init(name: whole[1].name, role: "labels", shape: [count] + labelShape, dtype: multiLabel ? "uint8" : "int64",
                             bytes: labelBytes, sha256: labelDigest))
        let bytes = names.byteCount
        records.append(.init(name: whole[2].name, role: "files", shape: nil, dtype: nil, bytes: bytes, sha256: try names.finish()))
        return records
    }
}
