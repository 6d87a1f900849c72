#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DatasetKit
import Foundation

/// The parts of a run: each extracted, written under its own names in the work folder and
/// checked on a rerun against its journal entry, then the parts of a split joined into its
/// files.
extension FeatureExtraction {
    /// The work file of one part (`0-00003.features.npy`).
    static func partFile(_ work: String, splitIndex: Int, part: Int, role: String) -> String {
        let digits = String(part)
        let ext = role == "files" ? "txt" : "npy"
        return work + "/\(splitIndex)-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".\(role).\(ext)"
    }

    static let partRoles = ["features", "labels", "rows", "files"]

    /// What identifies a part's input: each row's source, and for image files their size and
    /// modification time, so a part whose images changed (or moved between parts) is redone.
    static func inputDigest(_ rows: some Collection<Int>, split: FeatureSource.Split, source: FeatureSource) -> String {
        var text = ""
        for row in rows {
            let name = split.rows[row].source
            text += "\(row)\t\(name)"
            if source.kind == .folder {
                var info = stat()
                if stat(source.path + "/" + name, &info) == 0 {
                    text += "\t\(info.st_size)\t\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
                } else {
                    text += "\tmissing"
                }
            }
            text += "\n"
        }
        let digest = StreamingDigest(.sha256)
        Array(text.utf8).withUnsafeBytes { digest.update($0) }
        return digest.finalize()
    }

    /// Whether `entry` describes this part of this input, and its files are there as recorded.
    func partIsWhole(_ entry: FeatureJournal.Entry, split: String, rows: ArraySlice<Int>, in source: FeatureSource, splitIndex: Int,
                             part: Int, work: String, featureShape: [Int]) -> Bool {
        guard entry.split == split, entry.rows >= 0, entry.rows + entry.failures.count == rows.count,
              entry.files.map(\.role) == Self.partRoles,
              entry.input == Self.inputDigest(rows, split: source.splits[splitIndex], source: source) else { return false }
        for file in entry.files {
            let path = Self.partFile(work, splitIndex: splitIndex, part: part, role: file.role)
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == file.bytes,
                  (try? FileDigest.compute(.sha256, ofFile: path)) == file.sha256 else { return false }
        }
        // The digests match what this process's code wrote; the shapes are checked again when joined.
        return true
    }

    /// Extracts one part: loads its rows on `jobs` threads, runs full batches as they fill (and
    /// the last, short one), writes the part's files and returns its journal entry.
    func extract(_ rows: ArraySlice<Int>, split: FeatureSource.Split, splitIndex: Int, part: Int, source: FeatureSource,
                         loader: FeatureRowLoader, batch: InputBatch, featureShape: [Int], work: String, jobs: Int, strict: Bool,
                         progress: ProgressReporter?) throws -> (FeatureJournal.Entry, [ItemOutcome?]) {
        let network = batch.network
        let count = rows.count
        let classes = source.classes.count
        let file = { (role: String) in Self.partFile(work, splitIndex: splitIndex, part: part, role: role) }
        let features = try NPYWriter(path: file("features"), dtype: .float32, rowShape: featureShape, expectedRows: count)
        let labels = try NPYWriter(path: file("labels"), dtype: source.multiLabel ? .uint8 : .int64,
                                   rowShape: source.multiLabel ? [classes] : [], expectedRows: count)
        let numbers = try NPYWriter(path: file("rows"), dtype: .int64, rowShape: [], expectedRows: count)
        var names: [UInt8] = []
        var pending: [(row: Int, label: PackLabel)] = []
        var outcomes = [ItemOutcome?](repeating: nil, count: count)
        var failures: [Problem] = []
        let perRow = featureShape.reduce(1, *)
        let order = Array(rows)

        func flush() throws {
            guard !pending.isEmpty else { return }
            batch.clear(from: pending.count)
            try network.forward(training: false)
            let output = UnsafeRawBufferPointer(start: network.output.floats, count: pending.count * perRow * 4)
            for (b, item) in pending.enumerated() {
                try features.append(UnsafeRawBufferPointer(rebasing: output[(b * perRow * 4)..<((b + 1) * perRow * 4)]))
                switch item.label {
                case .index(let label): try labels.append(withUnsafeBytes(of: Int64(label).littleEndian) { Array($0) })
                case .multiHot(let vector): try labels.append(vector)
                }
                try numbers.append(withUnsafeBytes(of: Int64(item.row).littleEndian) { Array($0) })
                names += Array(split.rows[item.row].source.utf8) + [0x0A]
                progress?.record(.done())
            }
            pending.removeAll(keepingCapacity: true)
        }

        try ParallelRunner.forEachInOrder(count: count, jobs: jobs, window: max(2 * batchSize, 2 * jobs), produce: { k in
            loader.load(order[k])
        }, consume: { (k: Int, loaded: Result<LoadedRow, RowFailure>) throws in
            switch loaded {
            case .success(let row):
                batch.write(row.values, slot: pending.count)
                pending.append((order[k], row.label))
                outcomes[k] = .done()
                if pending.count == network.batchSize { try flush() }
            case .failure(let failure):
                let problem = Problem(path: displayPath(source, split.rows[order[k]]), reason: failure.reason)
                if failure.fatal { throw FeatureError.source(source.path, failure.reason) }
                if strict { throw FeatureError.stopped(problem) }
                failures.append(problem)
                outcomes[k] = .failed(failure.reason)
                progress?.record(.failed(failure.reason))
            }
        })
        try flush()
        var records: [FeatureJournal.FileRecord] = []
        for (role, writer) in [("features", features), ("labels", labels), ("rows", numbers)] {
            let (sha256, bytes) = try writer.finish()
            records.append(.init(role: role, bytes: bytes, sha256: sha256))
        }
        let output = try AtomicFileOutput(path: file("files"))
        try output.write(names)
        records.append(.init(role: "files", bytes: names.count, sha256: try output.finish()))
        let entry = FeatureJournal.Entry(split: split.name, splitIndex: splitIndex, part: part, rows: count - failures.count,
                                         input: Self.inputDigest(rows, split: split, source: source), failures: failures, files: records)
        return (entry, outcomes)
    }

    /// Joins a split's parts (in order) into its files in `folder/<split>/`; returns their records.
    func join(_ parts: [(index: Int, entry: FeatureJournal.Entry)], split: String, splitIndex: Int, work: String, folder: String,
                      featureShape: [Int], classes: Int, multiLabel: Bool) throws -> [FeatureManifest.File] {
        do { try FileIO.createDirectories(folder + "/" + split) } catch { throw FeatureError.output(folder + "/" + split, error.description) }
        let total = parts.reduce(0) { $0 + $1.entry.rows }
        let shapes: [String: (NPYDType, [Int])] = [
            "features": (.float32, featureShape), "labels": (multiLabel ? .uint8 : .int64, multiLabel ? [classes] : []), "rows": (.int64, []),
        ]
        var records: [FeatureManifest.File] = []
        for (role, name) in FeatureManifest.fileNames(split: split, part: shard) {
            let path = folder + "/" + name
            if role == "files" {
                var text: [UInt8] = []
                for part in parts { text += try FileIO.read(Self.partFile(work, splitIndex: splitIndex, part: part.index, role: role)) }
                let output = try AtomicFileOutput(path: path)
                try output.write(text)
                records.append(.init(name: name, role: role, shape: nil, dtype: nil, bytes: text.count, sha256: try output.finish()))
                continue
            }
            let (dtype, rowShape) = shapes[role]!
            let writer = try NPYWriter(path: path, dtype: dtype, rowShape: rowShape, expectedRows: total)
            for part in parts {
                let partPath = Self.partFile(work, splitIndex: splitIndex, part: part.index, role: role)
                let reader = try NPYReader(path: partPath)
                guard reader.dtype == dtype, reader.shape == [part.entry.rows] + rowShape else {
                    throw FeatureError.part(partPath, "holds \(reader.dtype.name) \(reader.shape), not \(dtype.name) \([part.entry.rows] + rowShape)")
                }
                // Row by row from the mapped part: memory holds one row, not the part.
                for row in 0..<reader.rowCount { try writer.append(reader.row(row)) }
            }
            let (sha256, bytes) = try writer.finish()
            records.append(.init(name: name, role: role, shape: [total] + rowShape, dtype: dtype.name, bytes: bytes, sha256: sha256))
        }
        return records
    }
}
