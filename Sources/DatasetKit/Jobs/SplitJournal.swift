import Foundation

/// The plan of a `--move` split, written into the output folder before the first file moves
/// and removed once every file is in place.
///
/// A split by ratios is computed from the files it finds; after part of a move those files
/// are gone from the source, so recomputing would give a different split. The journal keeps
/// the original plan: a rerun with the same settings finishes exactly that plan.
public struct SplitJournal: Sendable, Codable, Equatable {
    /// Hidden, so folder scans of the output skip it.
    public static let fileName = ".dataset-split-journal.json"

    /// The dataset's image folder, canonical.
    public var source: String
    public var layout: LayoutKind
    public var settings: SplitSettings
    public var plan: SplitPlan

    public init(source: String, layout: LayoutKind, settings: SplitSettings, plan: SplitPlan) {
        self.source = source
        self.layout = layout
        self.settings = settings
        self.plan = plan
    }

    /// Whether a move with these settings needs a journal. A plan made from published lists
    /// (Food-101's meta files, Recipes5k's annotations) is made again the same on a rerun:
    /// moved files are still listed and are found in the output. Any other plan depends on
    /// which files are still in the source.
    public static func isNeeded(layout: LayoutKind, settings: SplitSettings) -> Bool {
        layout == .folders || settings.ratios != nil || settings.validationFraction != nil
    }

    /// True when the journal was written for this dataset and these settings.
    public func matches(source: String, layout: LayoutKind, settings: SplitSettings) -> Bool {
        self.source == source && self.layout == layout && self.settings == settings
    }

    /// The journal left in `outputRoot` by an unfinished move, if any.
    public static func load(from outputRoot: String) throws(LayoutError) -> SplitJournal? {
        let path = outputRoot + "/" + fileName
        guard FileIO.exists(path) else { return nil }
        let journal: SplitJournal
        do {
            journal = try JSONDecoder().decode(SplitJournal.self, from: Data(try FileIO.read(path)))
        } catch {
            throw LayoutError(path: path, reason: "unreadable journal of an earlier move (\(error)); remove it to plan afresh")
        }
        do { try journal.checkNames() } catch {
            throw LayoutError(path: path, reason: "\(error); not a journal split wrote, remove it to plan afresh")
        }
        return journal
    }

    /// A journal is read back from a folder anyone may have written to: every path in its
    /// plan must stay below its root (sources below the image folder; split and class one
    /// folder name each, the name below its class folder), or a rerun would move files from
    /// and to anywhere.
    func checkNames() throws(UntrustedPathError) {
        for (index, name) in plan.splits.enumerated() { _ = try PlainName(name, from: "plan.splits[\(index)]") }
        for (index, item) in plan.items.enumerated() {
            let at = "plan.items[\(index)]"
            _ = try ContainedPath(item.source, from: at + ".source")
            _ = try PlainName(item.split, from: at + ".split")
            _ = try PlainName(item.className, from: at + ".className")
            _ = try ContainedPath(item.name, from: at + ".name")
        }
    }

    /// Writes the journal atomically.
    public func write(to outputRoot: String) throws(FileError) {
        let data: Data
        do { data = try JSONEncoder().encode(self) } catch {
            throw FileError(path: outputRoot + "/" + SplitJournal.fileName, operation: "encode", reason: "\(error)")
        }
        try FileIO.writeAtomically([UInt8](data), to: outputRoot + "/" + SplitJournal.fileName)
    }

    /// Removes the journal once the move is complete.
    public static func remove(from outputRoot: String) {
        _ = unlink(outputRoot + "/" + fileName)
    }
}
