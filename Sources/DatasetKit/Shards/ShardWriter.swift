/// One row ready to be written: what the parallel stage made from one image.
struct PackedRow: Sendable {
    /// uint8 pixels, float32 little-endian values, or JPEG bytes, as the shard format wants.
    var payload: [UInt8]
    /// Of the packed uint8 pixels, for the manifest's mean and std.
    var statistics: ChannelStatistics
    /// Something the user should know (a misnamed file).
    var warning: String?
}

/// One shard being written: rows in, in order; files out when finished.
protocol ShardWriter: AnyObject {
    /// Appends a row; `key` is unique within the split, `source` the image's path for the sidecar list.
    func append(_ row: PackedRow, label: PackLabel, key: String, source: String) throws(PackError)
    /// Finishes every file of the shard (each renamed into place) and describes them.
    func finish() throws(PackError) -> Manifest.Shard
    /// Abandons the shard; none of its files appear.
    func cancel()
}

/// The sidecar list of a shard: one source path per row, in row order.
struct SourceList {
    private(set) var text: [UInt8] = []

    mutating func append(_ source: String) { text += Array(source.utf8) + [0x0A] }

    /// Writes `<folder>/<name>` atomically and describes it.
    func write(folder: String, name: String) throws(PackError) -> Manifest.File {
        do {
            let output = try AtomicFileOutput(path: folder + "/" + name)
            try output.write(text)
            let digest = try output.finish()
            return Manifest.File(name: name, role: "sources", shape: nil, dtype: nil, bytes: text.count, sha256: digest)
        } catch {
            throw .file(error)
        }
    }
}
