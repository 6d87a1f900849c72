/// Which classes a split keeps: all, the ones named (`--classes`), or the first N in the
/// dataset's own order (`--first`), as the Food-101 Keras tutorial takes its first 10.
public enum ClassSelection: Sendable, Equatable, Codable {
    case all
    /// These classes, in this order (the order written to `classes.txt`).
    case named([String])
    /// The first N classes in the dataset's order.
    case first(Int)

    /// The classes kept, in the order used. Names are checked against `classes`; an unknown
    /// one fails with the nearest spellings.
    public func resolve(_ classes: [String]) throws(SplitError) -> [String] {
        switch self {
        case .all:
            return classes
        case .first(let n):
            guard n <= classes.count else { throw .notEnoughClasses(requested: n, available: classes.count) }
            return Array(classes.prefix(n))
        case .named(let names):
            let known = Set(classes)
            for name in names where !known.contains(name) {
                throw .unknownClass(name, nearMatches: ClassSelection.nearMatches(name, in: classes), available: classes.count)
            }
            return DatasetListing.firstAppearance(names)
        }
    }

    /// Up to five names close to `name`: same letters ignoring case and `-`/`_`/space, one
    /// containing the other, or within an edit distance of about a third of its length.
    public static func nearMatches(_ name: String, in classes: [String]) -> [String] {
        let key = normalised(name)
        let limit = max(2, key.count / 3)
        let scored = classes.compactMap { candidate -> (Int, String)? in
            let other = normalised(candidate)
            if other == key { return (0, candidate) }
            if !key.isEmpty && (other.contains(key) || key.contains(other)) { return (1, candidate) }
            let d = editDistance(Array(key), Array(other))
            return d <= limit ? (d + 1, candidate) : nil
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(5).map(\.1)
    }

    private static func normalised(_ s: String) -> String {
        String(s.lowercased().map { $0 == "-" || $0 == " " ? "_" : $0 })
    }

    /// Levenshtein distance, one row at a time.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count), current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
