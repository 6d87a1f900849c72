/// One file of a split: where it is now and where it goes.
public struct SplitItem: Sendable, Hashable, Codable {
    /// Relative to the dataset's image folder (`apple_pie/1005649.jpg`).
    public var source: String
    public var split: String
    public var className: String
    /// Its name inside the class folder (`1005649.jpg`).
    public var name: String

    public init(source: String, split: String, className: String, name: String) {
        self.source = source
        self.split = split
        self.className = className
        self.name = name
    }

    /// Relative to the output folder: `<split>/<class>/<name>`.
    public var destination: String { split + "/" + className + "/" + name }
}

/// A complete, checked description of a split before anything is touched: every file with
/// its split and class, the class order, and the problems found. Made by `SplitPlanner`.
public struct SplitPlan: Sendable, Equatable, Codable {
    /// Split names in order (`train`, `val`, `test`).
    public var splits: [String]
    /// Classes in the order used (written to `classes.txt`).
    public var classes: [String]
    /// Ordered by split, then class, then the dataset's own order within a class.
    public var items: [SplitItem]
    public var problems: [SplitProblem]

    public init(splits: [String], classes: [String], items: [SplitItem], problems: [SplitProblem]) {
        self.splits = splits
        self.classes = classes
        self.items = items
        self.problems = problems
    }

    /// Files per split and class.
    public var counts: [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for item in items { counts[item.split, default: [:]][item.className, default: 0] += 1 }
        return counts
    }

    /// Files per split.
    public func count(split: String) -> Int { items.reduce(0) { $0 + ($1.split == split ? 1 : 0) } }

    /// Why the plan moves nothing although the input holds images (every image lies outside a
    /// class folder: a flat folder has no classes to split), or nil. An input with no images at
    /// all is not reported here: a finished `--move` leaves its source so.
    public var emptyReason: String? {
        guard items.isEmpty else { return nil }
        let loose = problems.filter { $0.kind == .outsideClassFolder }
        guard !loose.isEmpty else { return nil }
        return "nothing to split: \(loose.count) image\(loose.count == 1 ? " lies" : "s lie") outside any class folder "
            + "(e.g. \(loose[0].path)), and a split keeps each class's images in <class>/ folders; put each class in a "
            + "folder of its own, or sort them by a labels CSV with `dataset labels to-folders`"
    }

    /// The problems that make the run fail (missing files).
    public var failures: [SplitProblem] { problems.filter(\.isFailure) }
    /// The problems reported as warnings.
    public var warnings: [SplitProblem] { problems.filter { !$0.isFailure } }
}
