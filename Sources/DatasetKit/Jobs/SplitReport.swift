import Foundation

/// `split.json`: what a split holds and how it was made. Written beside `classes.txt` in the
/// output folder.
public struct SplitReport: Sendable, Codable, Equatable {
    /// The dataset's image folder.
    public var source: String
    public var layout: LayoutKind
    public var mode: TransferMode
    public var seed: UInt64
    /// The fractions per split, when the split was made by ratios.
    public var ratios: [Double]?
    public var validationFraction: Double?
    public var splits: [String]
    /// In the order used (as in `classes.txt`).
    public var classes: [String]
    /// Files per split and class.
    public var counts: [String: [String: Int]]
    /// Files per split.
    public var totals: [String: Int]
    /// Problems found while planning, per kind.
    public var problems: [String: Int]

    public init(plan: SplitPlan, source: String, layout: LayoutKind, mode: TransferMode, settings: SplitSettings) {
        self.source = source
        self.layout = layout
        self.mode = mode
        seed = settings.seed
        ratios = settings.ratios?.fractions
        validationFraction = settings.validationFraction
        splits = plan.splits
        classes = plan.classes
        counts = plan.counts
        totals = Dictionary(uniqueKeysWithValues: plan.splits.map { ($0, plan.count(split: $0)) })
        problems = Dictionary(plan.problems.map { ($0.kind.rawValue, 1) }, uniquingKeysWith: +)
    }

    public static let fileName = "split.json"
    public static let classesFileName = "classes.txt"

    /// The JSON text (keys sorted, indented).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { [UInt8]($0) } ?? []) + [0x0A]
    }

    /// Writes `classes.txt` (one class per line, in order) and `split.json`, each atomically.
    public func write(to outputRoot: String) throws(FileError) {
        try FileIO.createDirectories(outputRoot)
        try FileIO.writeAtomically(Array(classes.map { $0 + "\n" }.joined().utf8), to: outputRoot + "/" + SplitReport.classesFileName)
        try FileIO.writeAtomically(encoded(), to: outputRoot + "/" + SplitReport.fileName)
    }
}
