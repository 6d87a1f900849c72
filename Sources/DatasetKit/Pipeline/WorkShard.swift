/// One worker's part of a run split over `count` independent workers (`--shard I/N`): the
/// items whose relative path hashes to `index`.
///
/// `index` is 0-based (`0..<count`), as Kubernetes' `JOB_COMPLETION_INDEX` and a Slurm array
/// declared `--array=0-(N-1)`. Every worker lists the whole input and keeps its part, so N
/// workers with the same N and different indices cover every item exactly once.
///
/// Membership is a stable hash of the path (FNV-1a 64 of its UTF-8 bytes, then a SplitMix64
/// finaliser so that `mod count` uses every bit), not a position in the sorted listing. A
/// position split balances perfectly, but one file added, removed or not yet visible to one
/// worker shifts every boundary after it, and workers that listed at different moments would
/// then do some items twice and others never. A path's hash never moves, so a listing that
/// differs between workers can only change its own items; the price is a binomial spread of
/// part sizes (about ±√(n/N) items), which does not matter for batch work. Swift's `Hasher` is
/// seeded per process and would give every worker a different partition.
public struct WorkShard: Sendable, Hashable, Codable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws(WorkShardError) {
        guard count >= 1 else { throw .invalid("N must be at least 1 (got \(index)/\(count))") }
        guard (0..<count).contains(index) else {
            throw .invalid("I must be 0 to \(count - 1) for N = \(count) (got \(index)/\(count); I is 0-based)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (`0/4`, `3/4`).
    public init(parsing text: String) throws(WorkShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw .invalid("'\(text)' is not I/N")
        }
        try self.init(index: index, count: count)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// Encoded as the text `I/N`, as on the command line.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The shard a relative path belongs to, `0..<count`.
    public static func index(of path: String, count: Int) -> Int {
        Int(stableHash(path) % UInt64(count))
    }

    /// Whether this worker does the item at `path` (relative to the input root).
    public func contains(_ path: String) -> Bool { Self.index(of: path, count: count) == index }

    /// The elements of `items` this worker does, in their order.
    public func filter<T>(_ items: [T], path: (T) -> String) -> [T] {
        items.filter { contains(path($0)) }
    }

    /// Whether this worker reports `problem`, found while listing the input under `root`: each
    /// problem is reported by one worker, the one its file's relative path (or, for a place
    /// that is not a file under `root`, such as `labels.csv:5`, its text) hashes to.
    public func owns(_ problem: Problem, under root: String) -> Bool {
        let prefix = root + "/"
        return contains(problem.path.hasPrefix(prefix) ? String(problem.path.dropFirst(prefix.count)) : problem.path)
    }

    /// A tag for the files this worker writes beside the other workers' (`w2of4`, `w02of12`):
    /// the index zero-padded to N's width, so the names sort in worker order.
    public var tag: String {
        let digits = String(index), width = String(count).count
        return "w" + String(repeating: "0", count: max(0, width - digits.count)) + digits + "of" + String(count)
    }

    /// The name of this worker's own copy of a file every worker would otherwise write
    /// (`params.jsonl` → `params.w1of4.jsonl`, `manifest.json` → `manifest.w1of4.json`).
    public func partName(_ path: String) -> String {
        let ext = FileTree.pathExtension(path)
        return FileTree.deletingExtension(path) + "." + tag + (ext.isEmpty ? "" : "." + ext)
    }

    /// FNV-1a 64 over the UTF-8 bytes, then SplitMix64's finaliser: the same on every machine
    /// and Swift version.
    static func stableHash(_ path: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in path.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ (hash >> 30)) &* 0xBF58_476D_1CE4_E5B9
        hash = (hash ^ (hash >> 27)) &* 0x94D0_49BB_1331_11EB
        return hash ^ (hash >> 31)
    }
}

/// A `--shard` value that is not `I/N` with `0 <= I < N`.
public enum WorkShardError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let why): "\(why): expected I/N with 0 <= I < N, e.g. 0/4"
        }
    }
}

extension WorkShard {
    /// How much of the input one worker did, for its summary (`shard 1/4: 1234 of 4937 images`).
    public struct Coverage: Sendable, Codable, Equatable {
        public var shard: WorkShard
        /// Items this worker did, of the `total` the whole input has.
        public var items: Int
        public var total: Int
        /// What an item is (`images`, `rows`).
        public var unit: String

        public init(shard: WorkShard, items: Int, total: Int, unit: String = "images") {
            self.shard = shard
            self.items = items
            self.total = total
            self.unit = unit
        }
    }
}
