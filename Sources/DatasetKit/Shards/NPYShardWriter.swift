/// A numpy shard: `<name>.images.npy` (N,H,W,3) streamed row by row, `<name>.labels.npy`
/// (int64 `(N,)` or uint8 `(N,C)` multi-hot) and `<name>.files.txt`, written when it closes.
final class NPYShardWriter: ShardWriter {
    private let folder: String
    private let name: String
    private let images: NPYWriter
    private let classCount: Int
    private let multiHot: Bool
    private var labels: [UInt8] = []
    private var sources = SourceList()

    init(folder: String, name: String, imageShape: [Int], dtype: NPYDType, expectedRows: Int,
         classCount: Int, multiHot: Bool) throws(PackError) {
        self.folder = folder
        self.name = name
        self.classCount = classCount
        self.multiHot = multiHot
        do {
            images = try NPYWriter(path: folder + "/" + name + ".images.npy", dtype: dtype, rowShape: imageShape,
                                   expectedRows: expectedRows)
        } catch {
            throw .npy(error)
        }
    }

    func append(_ row: PackedRow, label: PackLabel, key: String, source: String) throws(PackError) {
        do { try images.append(row.payload) } catch { throw .npy(error) }
        switch label {
        case .index(let index):
            withUnsafeBytes(of: Int64(index).littleEndian) { labels.append(contentsOf: $0) }
        case .multiHot(let vector):
            labels.append(contentsOf: vector)
        }
        sources.append(source)
    }

    func finish() throws(PackError) -> Manifest.Shard {
        let rows = images.rowCount
        let imageFile: Manifest.File
        do {
            let (digest, bytes) = try images.finish()
            imageFile = Manifest.File(name: name + ".images.npy", role: "images", shape: [rows] + images.rowShape,
                                      dtype: images.dtype.name, bytes: bytes, sha256: digest)
        } catch {
            throw .npy(error)
        }
        let labelDType: NPYDType = multiHot ? .uint8 : .int64
        let labelShape = multiHot ? [classCount] : []
        let labelFile: Manifest.File
        do {
            let writer = try NPYWriter(path: folder + "/" + name + ".labels.npy", dtype: labelDType, rowShape: labelShape,
                                       expectedRows: rows)
            try writer.append(rows: labels)
            let (digest, bytes) = try writer.finish()
            labelFile = Manifest.File(name: name + ".labels.npy", role: "labels", shape: [rows] + labelShape,
                                      dtype: labelDType.name, bytes: bytes, sha256: digest)
        } catch {
            throw .npy(error)
        }
        let sourceFile = try sources.write(folder: folder, name: name + ".files.txt")
        return Manifest.Shard(rows: rows, files: [imageFile, labelFile, sourceFile])
    }

    func cancel() { images.cancel() }
}
