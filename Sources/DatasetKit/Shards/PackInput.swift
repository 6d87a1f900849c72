/// One image to pack and its label.
public struct PackItem: Sendable, Equatable {
    public var split: String
    /// Relative to the input folder.
    public var path: String
    public var label: PackLabel

    public init(split: String, path: String, label: PackLabel) {
        self.split = split
        self.path = path
        self.label = label
    }
}

public enum PackLabel: Sendable, Equatable {
    /// The index of the image's class.
    case index(Int)
    /// One 0/1 byte per class.
    case multiHot([UInt8])
}

/// What `pack` reads: the classes, and per split the labelled images, from class folders or a
/// multi-hot (Nanonets) layout.
///
/// - Class folders: `<split>/<class>/<file>` (deeper files belong to `<class>` too); a tree of
///   only `<class>/<file>` is one split named `train`. Classes are `classes.txt` at the root
///   when present (the order `split` and `labels` write), else the sorted folder names of all
///   splits, so every split uses the same indices.
/// - Multi-hot: `ImageSets/` + `Annotations/` at the root (one split, `train`), or in each
///   `<split>/` folder. Classes follow `classes.txt` (see `NanonetsLayout.read`).
public struct PackInput: Sendable {
    public var root: String
    public var classes: [String]
    public var isMultiLabel: Bool
    /// Splits in sorted order, items in sorted path order.
    public var splits: [(name: String, items: [PackItem])]
    /// Files that cannot be packed (an image outside a class folder, a class not listed).
    public var failures: [Problem]
    public var warnings: [Problem]

    public static let defaultSplit = "train"

    /// Reads the layout under `root`, leaving out paths under `excluding` (an output inside it).
    public static func read(root: String, excluding: [String] = []) throws(LabelsError) -> PackInput {
        let root = FileTree.normalise(root)
        if FileIO.isDirectory(root + "/" + NanonetsLayout.imagesFolder) {
            return try multiHot(root: root, splits: [(Self.defaultSplit, "")])
        }
        let tree: FileTree
        do { tree = try FileTree(root: root, excluding: excluding) } catch { throw .file(error) }
        let splitFolders = Set(tree.files.compactMap { $0.split(separator: "/").first.map(String.init) })
            .filter { FileIO.isDirectory(root + "/" + $0 + "/" + NanonetsLayout.imagesFolder) }
        if !splitFolders.isEmpty {
            return try multiHot(root: root, splits: splitFolders.sorted(by: byBytes).map { ($0, $0 + "/") })
        }
        var input = try classFolders(root: root, images: tree.images)
        // An unreadable folder's images cannot be packed: each such folder is a failure.
        input.failures = tree.problems + input.failures
        return input
    }

    private static func classFolders(root: String, images: [String]) throws(LabelsError) -> PackInput {
        let parts = images.map { $0.split(separator: "/").map(String.init) }
        let hasSplits = parts.contains { $0.count >= 3 }
        var failures: [Problem] = [], warnings: [Problem] = []
        var placed: [(split: String, className: String, path: String)] = []
        for (path, components) in zip(images, parts) {
            if hasSplits && components.count >= 3 {
                placed.append((components[0], components[1], path))
            } else if !hasSplits && components.count == 2 {
                placed.append((defaultSplit, components[0], path))
            } else {
                let expected = hasSplits ? "<split>/<class>/<file>" : "<class>/<file>"
                warnings.append(Problem(path: root + "/" + path, reason: "not in a class folder (expected \(expected)): left out"))
            }
        }
        let classesPath = root + "/" + NanonetsLayout.classesFile
        let listed = FileIO.exists(classesPath)
        let classes = listed ? try ClassList.read(path: classesPath) : Set(placed.map(\.className)).sorted(by: byBytes)
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var bySplit: [String: [PackItem]] = [:]
        for item in placed {
            guard let label = index[item.className] else {
                failures.append(Problem(path: root + "/" + item.path, reason: "class folder '\(item.className)' is not listed in \(classesPath)"))
                continue
            }
            bySplit[item.split, default: []].append(PackItem(split: item.split, path: item.path, label: .index(label)))
        }
        let splits = bySplit.keys.sorted(by: byBytes).map { (name: $0, items: bySplit[$0]!) }
        return PackInput(root: root, classes: classes, isMultiLabel: false, splits: splits, failures: failures, warnings: warnings)
    }

    private static func multiHot(root: String, splits folders: [(name: String, prefix: String)]) throws(LabelsError) -> PackInput {
        var contents: [(name: String, prefix: String, NanonetsContents)] = []
        for (name, prefix) in folders {
            do { contents.append((name, prefix, try NanonetsLayout(root: root + "/" + prefix).read())) } catch { throw .file(error) }
        }
        // One column order for every split: the root's classes.txt, else each split's in turn.
        var classes: [String] = []
        let rootList = root + "/" + NanonetsLayout.classesFile
        if folders.count > 1, FileIO.exists(rootList) { classes = try ClassList.read(path: rootList) }
        for (_, _, content) in contents { for name in content.matrix.classes where !classes.contains(name) { classes.append(name) } }
        let column = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var failures: [Problem] = [], warnings: [Problem] = []
        var splits: [(name: String, items: [PackItem])] = []
        for (name, prefix, content) in contents {
            failures += content.failures
            warnings += content.warnings
            let items = content.matrix.rows.map { row -> PackItem in
                var vector = [UInt8](repeating: 0, count: classes.count)
                for label in row.labels { vector[column[label]!] = 1 }
                return PackItem(split: name, path: prefix + NanonetsLayout.imagesFolder + "/" + row.filename, label: .multiHot(vector))
            }
            splits.append((name, items))
        }
        return PackInput(root: root, classes: classes, isMultiLabel: true, splits: splits, failures: failures, warnings: warnings)
    }

    private static func byBytes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Images in all splits.
    public var itemCount: Int { splits.reduce(0) { $0 + $1.items.count } }

    /// A `--shard` worker's part: every split (even one left empty) with only the worker's
    /// items, in their order; the classes and the problems on the worker's files.
    public func part(_ shard: WorkShard) -> PackInput {
        var copy = self
        copy.splits = splits.map { ($0.name, shard.filter($0.items, path: \.path)) }
        copy.failures = failures.filter { shard.owns($0, under: root) }
        copy.warnings = warnings.filter { shard.owns($0, under: root) }
        return copy
    }

    /// The items of each split in an order drawn from `seed` (Fisher-Yates with a generator
    /// derived from the seed and the split's name): the same seed gives the same order.
    public func shuffled(seed: UInt64) -> PackInput {
        var copy = self
        copy.splits = splits.map { split in
            var generator = SeededGenerator(seed: seed, item: split.name)
            var items = split.items
            if items.count > 1 {
                for i in stride(from: items.count - 1, to: 0, by: -1) {
                    items.swapAt(i, Int(generator.next() % UInt64(i + 1)))
                }
            }
            return (split.name, items)
        }
        return copy
    }
}
