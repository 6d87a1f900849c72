/// Why the parts of a sharded pack (`pack --shard I/N`) cannot be merged into one manifest.
public enum ManifestMergeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `manifest.wIofN.json` in the folders.
    case noParts(folders: [String])
    /// A part that cannot be read or decoded.
    case unreadable(path: String, reason: String)
    /// A part named for one shard holding another's manifest (or none).
    case misnamed(path: String, holds: String)
    /// Parts of runs with different N.
    case mixedRuns(first: String, other: String)
    /// Two files for the same worker.
    case duplicate(first: String, other: String)
    /// Workers whose part is not there, with the file names expected.
    case missing(shards: [WorkShard], expected: [String])
    /// A part that was packed with other settings than the first one.
    case inconsistent(part: String, first: String, field: String, values: String, firstValues: String)
    /// A file a part lists that is not there as listed.
    case file(part: String, name: String, reason: String)
    /// The merged manifest, or a file of it, could not be written.
    case write(FileError)

    public var description: String {
        switch self {
        case .noParts(let folders):
            "no part manifests (manifest.wIofN.json) in \(folders.joined(separator: ", ")): run `dataset pack --shard I/N` for every I first"
        case .unreadable(let path, let reason): "\(path): cannot read it as a part manifest: \(reason)"
        case .misnamed(let path, let holds): "\(path) holds \(holds); part files must keep the name pack gave them"
        case .mixedRuns(let first, let other):
            "\(first) and \(other) come from runs with different N: remove the stale parts (or repack them with the same N)"
        case .duplicate(let first, let other): "\(first) and \(other) are the same part: keep one"
        case .missing(let shards, let expected):
            "missing \(shards.count) of \(shards.first?.count ?? 0) parts: " + zip(shards, expected).map { "\($1) (--shard \($0))" }.joined(separator: ", ")
                + ": those workers have not finished, or failed; rerun them, then merge again"
        case .inconsistent(let part, let first, let field, let values, let firstValues):
            "\(part) was packed with a different \(field) than \(first) (\(values) vs \(firstValues)): every worker must run the same pack command but for --shard"
        case .file(let part, let name, let reason): "\(part) lists \(name), which \(reason)"
        case .write(let error): error.description
        }
    }
}
