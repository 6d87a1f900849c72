/// Turns tag lists into a `MultiHotMatrix`, checking them on the way: repeats within a list are
/// counted once, tags outside a given class list are dropped, rare labels are pruned
/// (`--min-count`), and images left with no tag are skipped unless `keepEmpty` (the multi-label
/// tutorials drop them: an all-zero target teaches nothing). Everything dropped is reported.
public struct MultiHotBuilder: Sendable {
    /// When set, the only labels accepted, in this order; other tags are unknown and dropped.
    public var classes: [String]?
    /// Order for the classes when `classes` is nil (e.g. a mapping's labels); labels not in it
    /// follow in sorted order.
    public var preferredOrder: [String]
    /// Labels on fewer images than this are dropped (1 keeps all).
    public var minCount: Int
    /// Keep images that end with no label (an all-zero row) instead of skipping them.
    public var keepEmpty: Bool

    public init(classes: [String]? = nil, preferredOrder: [String] = [], minCount: Int = 1, keepEmpty: Bool = false) {
        self.classes = classes
        self.preferredOrder = preferredOrder
        self.minCount = minCount
        self.keepEmpty = keepEmpty
    }

    /// The matrix (rows named by item, in item order) and what was dropped.
    public func build(_ items: [TaggedItem]) -> (matrix: MultiHotMatrix, report: MultiHotReport) {
        var report = MultiHotReport()
        let known = classes.map(Set.init)
        var unknownCounts: [String: Int] = [:]
        // Pass 1: each list deduplicated (first occurrence kept) and checked against `classes`.
        var cleaned: [[String]] = []
        cleaned.reserveCapacity(items.count)
        for item in items {
            var seen = Set<String>(), kept: [String] = [], repeated: [String] = []
            for tag in item.tags {
                guard seen.insert(tag).inserted else {
                    if !repeated.contains(tag) { repeated.append(tag) }
                    continue
                }
                if let known, !known.contains(tag) { unknownCounts[tag, default: 0] += 1 } else { kept.append(tag) }
            }
            if !repeated.isEmpty { report.repeatedTags.append(.init(item: item.name, origin: item.origin, tags: repeated)) }
            cleaned.append(kept)
        }
        report.unknownTags = MultiHotReport.Count.ranked(unknownCounts)
        // Pass 2: prune labels on fewer than `minCount` images.
        // A given class nobody carries counts 0: kept with the default min-count of 1, pruned above it.
        var counts = Dictionary((classes ?? []).map { ($0, 0) }, uniquingKeysWith: { first, _ in first })
        for tags in cleaned { for tag in tags { counts[tag, default: 0] += 1 } }
        let pruned = minCount > 1 ? counts.filter { $0.value < minCount } : [:]
        report.prunedLabels = MultiHotReport.Count.ranked(pruned)
        let classOrder = order(counts.keys.filter { pruned[$0] == nil })
        // Pass 3: rows; images left with nothing are skipped (or kept as all-zero rows).
        var rows: [MultiHotMatrix.Row] = []
        for (item, tags) in zip(items, cleaned) {
            let labels = tags.filter { pruned[$0] == nil }
            if labels.isEmpty {
                let reason: MultiHotReport.Untagged.Reason = item.tags.isEmpty ? .noTags : (tags.isEmpty ? .onlyUnknown : .onlyRare)
                report.untagged.append(.init(item: item.name, origin: item.origin, reason: reason))
                if !keepEmpty { continue }
            }
            rows.append(MultiHotMatrix.Row(filename: item.name, labels: labels))
        }
        report.keptEmpty = keepEmpty
        report.minCount = minCount
        return (MultiHotMatrix(classes: classOrder, rows: rows), report)
    }

    /// The classes in their final order: the given list (minus pruned), else the preferred
    /// order, then the rest sorted.
    private func order(_ labels: [String]) -> [String] {
        let present = Set(labels)
        if let classes {
            var placed = Set<String>()
            return classes.filter { present.contains($0) && placed.insert($0).inserted }
        }
        var ordered: [String] = []
        var placed = Set<String>()
        for label in preferredOrder where present.contains(label) && placed.insert(label).inserted { ordered.append(label) }
        let rest = labels.filter { !placed.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return ordered + rest
    }
}
