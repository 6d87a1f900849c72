/// The labels of a dataset, one entry per example row.
public enum ExampleLabels: Sendable, Equatable {
    /// One class index per example.
    case classes([Int])
    /// `classes` 0/1 values per example, row after row.
    case multiHot([UInt8], classes: Int)

    public var isMultiLabel: Bool { if case .multiHot = self { true } else { false } }

    /// How many examples are labelled.
    public var count: Int {
        switch self {
        case .classes(let labels): labels.count
        case .multiHot(let values, let classes): classes > 0 ? values.count / classes : 0
        }
    }

    /// The labels of `rows`, in order, for a batch.
    func batch(_ rows: some Collection<Int>) -> BatchLabels {
        switch self {
        case .classes(let labels): return .classes(rows.map { labels[$0] })
        case .multiHot(let values, let classes):
            var out: [UInt8] = []
            out.reserveCapacity(rows.count * classes)
            for row in rows { out.append(contentsOf: values[(row * classes)..<((row + 1) * classes)]) }
            return .multiHot(out, classes: classes)
        }
    }
}
