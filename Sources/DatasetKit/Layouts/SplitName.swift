/// The one table of split names every command reads folders and shard splits by: the names
/// datasets publish, in any case, mapped to the three names `dataset` writes.
///
/// | folder (any case)              | split   |
/// | ------------------------------ | ------- |
/// | `train`, `training`            | `train` |
/// | `val`, `valid`, `validation`   | `val`   |
/// | `test`, `testing`              | `test`  |
///
/// Any other top folder is not a split (`Layouts/DatasetLayout` says what happens to it).
public enum SplitName: String, Sendable, Codable, CaseIterable {
    case train, val, test

    /// Every accepted folder name, in lower case, with the split it stands for.
    public static let aliases: [String: SplitName] = [
        "train": .train, "training": .train,
        "val": .val, "valid": .val, "validation": .val,
        "test": .test, "testing": .test,
    ]

    /// The split a folder (or shard split) named `name` stands for, or nil for any other name.
    public init?(folder name: String) {
        guard let split = Self.aliases[name.lowercased()] else { return nil }
        self = split
    }

    /// The name `dataset` writes for the split `name` stands for (`Training` → `train`), or nil.
    public static func canonical(_ name: String) -> String? { SplitName(folder: name)?.rawValue }

    /// The first of `names` (shard split names, as found) that stands for `split`: the
    /// validation split of a pack that calls it `val`, `valid` or `validation`.
    public static func first(_ split: SplitName, in names: [String]) -> String? {
        names.first { SplitName(folder: $0) == split }
    }

    /// The split of `names` (shard split names, as found) to read for `requested`: itself when
    /// present, else the first name that stands for the same split (`train` finds an older
    /// pack's `Training`), else `requested` unchanged so the error names what was asked for.
    public static func resolve(_ requested: String, in names: [String]) -> String {
        if names.contains(requested) { return requested }
        return SplitName(folder: requested).flatMap { first($0, in: names) } ?? requested
    }

    /// Comma-separated accepted names, for messages.
    public static var accepted: String { "train/training, val/valid/validation, test/testing (any case)" }
}
