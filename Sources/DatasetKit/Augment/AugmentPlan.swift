/// An image an augmentation run can read, with what the layout knows about it.
public struct AugmentItem: Sendable, Hashable {
    /// Relative to the source root (`cat/1.jpg`, `ImageSets/1.jpg`).
    public var source: String
    /// The class it is balanced in and reported under; nil for multi-label images.
    public var group: String?
    /// Its label(s), carried to the copies (CSV label, Nanonets annotation lines).
    public var labels: [String]
    /// A file that goes with it, relative to the source root (a Nanonets annotation): each
    /// output gets a byte-for-byte copy named after it.
    public var companion: String?
    /// The id a labels CSV names it by (with or without extension), for the output's CSV.
    public var id: String?

    public init(source: String, group: String?, labels: [String] = [], companion: String? = nil, id: String? = nil) {
        self.source = source
        self.group = group
        self.labels = labels
        self.companion = companion
        self.id = id
    }
}

/// One image a run writes.
public struct AugmentOutput: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The source itself (copied, or re-encoded when the format, size or orientation must change).
        case original
        /// Augmented copy `index` (from 1), its parameters drawn from (seed, source, index).
        case sampled(index: Int)
        /// An augmented copy with given parameters (`--replay`).
        case replayed(TransformParameters)
    }

    /// Relative to the output root.
    public var destination: String
    public var kind: Kind
    /// Where the source's companion file goes (relative to the output root), if it has one.
    public var companion: String?

    public init(destination: String, kind: Kind, companion: String? = nil) {
        self.destination = destination
        self.kind = kind
        self.companion = companion
    }
}

/// All the outputs of one source: a worker decodes the source once and writes them all.
public struct AugmentTask: Sendable, Hashable {
    public var item: AugmentItem
    public var outputs: [AugmentOutput]

    public init(item: AugmentItem, outputs: [AugmentOutput]) {
        self.item = item
        self.outputs = outputs
    }
}

/// Turns the items of an input into tasks: balanced by class, or a fixed number of copies each,
/// or exactly what a parameters log lists.
public struct AugmentPlanner: Sendable {
    public var items: [AugmentItem]
    public var balancer: ClassBalancer
    public var naming: AugmentNaming
    /// `--replay`: the outputs to write per source, instead of the balancer's plan.
    public var replay: [String: [AugmentOutput]]?
    /// `--splits`: only items under these top-level folders (`train`) are augmented; the rest
    /// (`test`) are carried through as originals, so augmented copies never reach a test split.
    /// Nil augments everything.
    public var splits: Set<String>?

    public init(items: [AugmentItem], balancer: ClassBalancer, naming: AugmentNaming, replay: [String: [AugmentOutput]]? = nil,
                splits: Set<String>? = nil) {
        self.items = items
        self.balancer = balancer
        self.naming = naming
        self.replay = replay
        self.splits = splits
    }

    /// Whether `item` is augmented, or only carried through (`splits`).
    public func isAugmented(_ item: AugmentItem) -> Bool {
        guard let splits else { return true }
        return item.source.firstIndex(of: "/").map { splits.contains(String(item.source[..<$0])) } ?? false
    }

    /// The tasks when the sources in `unreadable` are left out, in item order. (Leaving some out
    /// only ever adds copies to the others; see `ClassBalancer`.)
    public func tasks(excluding unreadable: Set<String> = []) -> [AugmentTask] {
        let usable = items.filter { !unreadable.contains($0.source) }
        if let replay {
            return usable.compactMap { item in replay[item.source].map { AugmentTask(item: item, outputs: $0) } }
        }
        var shares: [String: SourceShare] = [:]
        var byGroup: [String?: [String]] = [:]
        for item in usable {
            if isAugmented(item) {
                byGroup[item.group, default: []].append(item.source)
            } else {
                shares[item.source] = SourceShare(source: item.source, keepsOriginal: true, copies: 0)
            }
        }
        for (group, sources) in byGroup {
            // Multi-label items have no class to fill: they can only take a fixed number of copies.
            let planned = group == nil && !balancer.isCopies ? sources.map { SourceShare(source: $0, keepsOriginal: balancer.includeOriginals, copies: 0) }
                : balancer.plan(sources)
            for share in planned { shares[share.source] = share }
        }
        return usable.compactMap { item in
            guard let share = shares[item.source], share.outputs > 0 else { return nil }
            var outputs: [AugmentOutput] = []
            if share.keepsOriginal { outputs.append(output(item, naming.original(item.source), .original)) }
            for k in stride(from: 1, through: share.copies, by: 1) { outputs.append(output(item, naming.copy(item.source, k), .sampled(index: k))) }
            return AugmentTask(item: item, outputs: outputs)
        }
    }

    private func output(_ item: AugmentItem, _ destination: String, _ kind: AugmentOutput.Kind) -> AugmentOutput {
        AugmentOutput(destination: destination, kind: kind,
                      companion: item.companion.map { Self.companionName(for: destination, like: $0) })
    }

    /// `Annotations/<output stem>.<companion's extension>`: the companion's folder, the output's stem.
    static func companionName(for destination: String, like companion: String) -> String {
        let folder = companion.split(separator: "/").dropLast().joined(separator: "/")
        let stem = String(FileTree.deletingExtension(destination).split(separator: "/").last ?? "")
        let ext = FileTree.pathExtension(companion)
        return (folder.isEmpty ? "" : folder + "/") + stem + (ext.isEmpty ? "" : "." + ext)
    }
}

extension ClassBalancer {
    var isCopies: Bool { if case .copies = target { true } else { false } }
}
