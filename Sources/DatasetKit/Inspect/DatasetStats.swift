/// `dataset stats`: the facts of every image gathered per split and class. Pure aggregation:
/// the same facts give the same report, whatever order they were collected in.
public struct DatasetStats: Sendable, Codable, Equatable {
    /// Smallest, median (mean of the two middle values for an even count) and largest.
    public struct Spread: Sendable, Codable, Equatable {
        public var min: Int
        public var median: Double
        public var max: Int

        public init?(_ values: [Int]) {
            guard !values.isEmpty else { return nil }
            let sorted = values.sorted()
            let mid = sorted.count / 2
            min = sorted[0]
            max = sorted[sorted.count - 1]
            median = sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
        }
    }

    public struct ClassCount: Sendable, Codable, Equatable {
        public var name: String
        /// Readable images of the class (for multi-hot: readable images carrying the label).
        public var count: Int
        /// `count` over the split's readable images.
        public var share: Double
    }

    public struct Split: Sendable, Codable, Equatable {
        public var name: String
        /// Files listed, readable or not.
        public var files: Int
        public var images: Int
        public var corrupt: Int
        public var classes: [ClassCount]
        /// Largest class count over smallest, among classes with images in this split (1 when
        /// balanced); nil when no class has images. Classes with none show count 0.
        public var imbalanceRatio: Double?
        public var width: Spread?
        public var height: Spread?
        /// Colour model as stored (`rgb`, `gray`, `rgba`, `cmyk`, `rgb 16-bit`, ...) → images.
        public var colorModes: [String: Int]
        /// Detected format (`JPEG`, `PNG`, ...) → images.
        public var formats: [String: Int]
        /// Per channel (R, G, B) on the 0-1 scale, of the images resized as for training.
        public var mean: [Double]
        public var std: [Double]
    }

    public var classes: [String]
    public var multiLabel: Bool
    /// The size images were resized to for `mean` and `std`.
    public var statisticsSize: PixelSize
    public var files: Int
    public var images: Int
    public var corrupt: Int
    public var splits: [Split]
    /// Every unreadable file with its reason.
    public var corruptFiles: [Problem]
    /// Files left out before looking at them (not in a class folder, ...), and files counted
    /// with a warning (in a subfolder of their class folder); each reason says which.
    public var skipped: [Problem]

    /// Aggregates `facts` (one per item, in item order) of the splits of `input`.
    public init(input: PackInput, facts: [[ImageFacts]], statisticsSize: PixelSize) {
        precondition(facts.count == input.splits.count, "one list of facts per split")
        classes = input.classes
        multiLabel = input.isMultiLabel
        self.statisticsSize = statisticsSize
        corruptFiles = []
        splits = []
        for ((name, items), splitFacts) in zip(input.splits, facts) {
            var counts = [Int](repeating: 0, count: input.classes.count)
            var widths: [Int] = [], heights: [Int] = []
            var modes: [String: Int] = [:], formats: [String: Int] = [:]
            var statistics = ChannelStatistics()
            var readable = 0
            for (item, fact) in zip(items, splitFacts) {
                guard fact.isReadable, let size = fact.size else {
                    corruptFiles.append(Problem(path: input.root + "/" + item.path, reason: fact.failureReason ?? "unreadable"))
                    continue
                }
                readable += 1
                switch item.label {
                case .index(let c): counts[c] += 1
                case .multiHot(let vector): for (c, bit) in vector.enumerated() { counts[c] += Int(bit) }
                }
                widths.append(size.width)
                heights.append(size.height)
                if let model = fact.colorModel { modes[model.description, default: 0] += 1 }
                if let format = fact.format { formats[format.name, default: 0] += 1 }
                if let s = fact.statistics { statistics.merge(s) }
            }
            let present = counts.filter { $0 > 0 }
            let classCounts = zip(input.classes, counts).map {
                ClassCount(name: $0, count: $1, share: readable > 0 ? Double($1) / Double(readable) : 0)
            }
            splits.append(Split(name: name, files: items.count, images: readable, corrupt: items.count - readable,
                                classes: classCounts,
                                imbalanceRatio: present.isEmpty ? nil : Double(present.max()!) / Double(present.min()!),
                                width: Spread(widths), height: Spread(heights), colorModes: modes, formats: formats,
                                mean: statistics.mean, std: statistics.std))
        }
        files = splits.reduce(0) { $0 + $1.files }
        images = splits.reduce(0) { $0 + $1.images }
        corrupt = splits.reduce(0) { $0 + $1.corrupt }
        skipped = input.failures + input.warnings
    }

    /// Images per class summed over splits, in class order (what the bar chart draws).
    public var totalCounts: [Int] {
        classes.indices.map { c in splits.reduce(0) { $0 + $1.classes[c].count } }
    }
}
