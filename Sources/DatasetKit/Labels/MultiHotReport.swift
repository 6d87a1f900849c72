/// What `MultiHotBuilder` changed or dropped, for the run's warnings and `--json`.
public struct MultiHotReport: Sendable, Equatable {
    /// An image whose list named the same tag more than once (kept once).
    public struct Repeat: Sendable, Equatable {
        public var item: String
        public var origin: String
        public var tags: [String]
    }

    /// A tag or label and how many images carried it.
    public struct Count: Sendable, Equatable {
        public var name: String
        public var count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }

        /// Most frequent first, then by name: the order a reader scans for what matters.
        static func ranked(_ counts: [String: Int]) -> [Count] {
            counts.map { Count(name: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
    }

    /// An image left with no label.
    public struct Untagged: Sendable, Equatable {
        public enum Reason: Sendable, Equatable {
            /// Its list was empty.
            case noTags
            /// All its tags were unknown.
            case onlyUnknown
            /// All its labels were pruned by the minimum count.
            case onlyRare
        }
        public var item: String
        public var origin: String
        public var reason: Reason
    }

    public var repeatedTags: [Repeat] = []
    /// Tags not among the given classes, dropped.
    public var unknownTags: [Count] = []
    /// Labels on fewer than `minCount` images, dropped.
    public var prunedLabels: [Count] = []
    /// Images that ended with no label: skipped, or kept as all-zero rows when `keptEmpty`.
    public var untagged: [Untagged] = []
    public var keptEmpty = false
    public var minCount = 1

    public init() {}

    /// The report as warnings. Per-image notes are placed at their origin (`tags.csv:12`);
    /// per-tag notes at `source` (the tags file or folder).
    public func warnings(source: String) -> [Problem] {
        var out: [Problem] = []
        for note in repeatedTags {
            let names = note.tags.map { "'\($0)'" }.joined(separator: ", ")
            out.append(Problem(path: note.origin, reason: "\(note.item): repeated tag\(note.tags.count == 1 ? "" : "s") \(names) (counted once)"))
        }
        for tag in unknownTags {
            out.append(Problem(path: source, reason: "unknown tag '\(tag.name)' (not a listed class) dropped from \(Self.images(tag.count))"))
        }
        for label in prunedLabels {
            out.append(Problem(path: source, reason: "label '\(label.name)' on \(Self.images(label.count)), under --min-count \(minCount): dropped"))
        }
        for item in untagged {
            let why = switch item.reason {
            case .noTags: "no tags"
            case .onlyUnknown: "only unknown tags"
            case .onlyRare: "only labels under --min-count"
            }
            let outcome = keptEmpty ? "kept with no label (--keep-empty)" : "skipped (--keep-empty keeps it)"
            out.append(Problem(path: item.origin, reason: "\(item.item): \(why): \(outcome)"))
        }
        return out
    }

    /// Why `matrix` is of no use to a trainer although there were images to label (no label
    /// column left, or no row), or nil. (With no images at all, the run's failures say why.)
    public func emptyReason(_ matrix: MultiHotMatrix) -> String? {
        guard matrix.classes.isEmpty || matrix.rows.isEmpty, !(matrix.rows.isEmpty && untagged.isEmpty) else { return nil }
        guard matrix.classes.isEmpty else {
            return "every image is left with no label (only unknown or pruned tags); --keep-empty keeps them as all-zero rows"
        }
        if let top = prunedLabels.first {
            return "every label is on fewer than --min-count \(minCount) images (the most common, '\(top.name)', is on "
                + "\(Self.images(top.count))): lower --min-count"
        }
        if !unknownTags.isEmpty { return "no tag is one of the classes listed by --classes" }
        return "no image has a tag"
    }

    static func images(_ n: Int) -> String { n == 1 ? "1 image" : "\(n) images" }
}
