import Foundation

/// A WebDataset shard: a tar (written with libarchive) where each sample is `<key>.jpg`
/// followed by `<key>.cls` (the class index as ASCII text) or `<key>.json` (multi-hot: label
/// names and the 0/1 vector), members of a sample adjacent, as the `webdataset` library reads
/// with `.decode("rgb").to_tuple("jpg", "cls")`; plus `<name>.files.txt`.
final class WebDatasetShardWriter: ShardWriter {
    private let folder: String
    private let name: String
    private let archive: ArchiveWriter
    private let classes: [String]
    private var rows = 0
    private var sources = SourceList()

    init(folder: String, name: String, classes: [String]) throws(PackError) {
        self.folder = folder
        self.name = name
        self.classes = classes
        do { archive = try ArchiveWriter(path: folder + "/" + name + ".tar", format: .tar) } catch { throw .archive(error) }
    }

    func append(_ row: PackedRow, label: PackLabel, key: String, source: String) throws(PackError) {
        do {
            try archive.addFile(path: key + ".jpg", data: row.payload)
            switch label {
            case .index(let index):
                try archive.addFile(path: key + ".cls", data: Array(String(index).utf8))
            case .multiHot(let vector):
                try archive.addFile(path: key + ".json", data: Self.json(vector, classes: classes))
            }
        } catch {
            throw .archive(error)
        }
        rows += 1
        sources.append(source)
    }

    func finish() throws(PackError) -> Manifest.Shard {
        do { try archive.finish() } catch { throw .archive(error) }
        let tar = Manifest.File(name: name + ".tar", role: "samples", shape: nil, dtype: nil,
                                bytes: archive.byteCount ?? 0, sha256: archive.sha256 ?? "")
        return Manifest.Shard(rows: rows, files: [tar, try sources.write(folder: folder, name: name + ".files.txt")])
    }

    func cancel() { archive.cancel() }

    /// `{"labels":["mains","meat"],"vector":[0,1,0,1]}`.
    static func json(_ vector: [UInt8], classes: [String]) -> [UInt8] {
        struct Sample: Encodable { var labels: [String]; var vector: [UInt8] }
        let sample = Sample(labels: zip(classes, vector).filter { $0.1 == 1 }.map(\.0), vector: vector)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(sample)) ?? Data())
    }
}
