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

/// What `pack` and `stats` read: the classes, and per split the labelled images, of the
/// `DatasetLayout` under the root. This view adds labels.
///
/// - Class folders: `<split>/<class>/<file>` with split names as `SplitName` writes them
///   (`Training/` is `train`); a tree of only `<class>/<file>` is one split named `train`.
///   Images in subfolders of a class folder belong to that class (a warning names each).
///   Classes are `classes.txt` at the root when present (the order `split` and `labels`
///   write), else the sorted folder names of all splits, so every split uses the same indices.
/// - Multi-hot: `ImageSets/` + `Annotations/` at the root (one split, `train`), or in each
///   `<split>/` folder. Classes follow `classes.txt` (see `NanonetsLayout.read`).
public struct PackInput: Sendable {
    public var root: String
    public var classes: [String]
    public var isMultiLabel: Bool
    /// Splits in sorted order, items in sorted path order.
    public var splits: [(name: String, items: [PackItem])]
    /// Files that cannot be packed (a class not listed in classes.txt).
    public var failures: [Problem]
    /// Files left out (an image outside a class folder) or read with a note (an image in a
    /// subfolder of its class folder).
    public var warnings: [Problem]

    public static let defaultSplit = SplitName.train.rawValue

    /// Reads the layout under `root`, leaving out paths under `excluding` (an output inside it).
    public static func read(root: String, excluding: [String] = []) throws(LabelsError) -> PackInput {
        let layout: DatasetLayout
        do { layout = try DatasetLayout(root: root, excluding: excluding) } catch {
            throw .file(FileError(path: error.path, operation: "read folder", reason: error.reason))
        }
        if layout.shape == .multiLabel {
            let splits = layout.splits.map { split in (split.name, split.folders.map { $0.isEmpty ? "" : $0 + "/" }) }
            var input = try multiHot(root: layout.root, splits: splits)
            input.warnings = layout.problems.map(\.problem) + input.warnings
            input.failures = layout.unreadable + input.failures
            return input
        }
        var input = try classFolders(layout)
        // An unreadable folder's images cannot be packed: each such folder is a failure.
        input.failures = layout.unreadable + input.failures
        return input
    }

    private static func classFolders(_ layout: DatasetLayout) throws(LabelsError) -> PackInput {
        let root = layout.root
        let placed = layout.shape == .splits
            ? layout.splits.map { ($0.name, $0.files) } : [(defaultSplit, layout.files)]
        let classesPath = root + "/" + NanonetsLayout.classesFile
        let classes = FileIO.exists(classesPath) ? try ClassList.read(path: classesPath) : layout.classes
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        var failures: [Problem] = []
        var splits: [(name: String, items: [PackItem])] = []
        for (name, files) in placed {
            var items: [PackItem] = []
            for file in files {
                guard let label = index[file.className] else {
                    failures.append(Problem(path: root + "/" + file.path, reason: "class folder '\(file.className)' is not listed in \(classesPath)"))
                    continue
                }
                items.append(PackItem(split: name, path: file.path, label: .index(label)))
            }
            if !items.isEmpty { splits.append((name, items)) }
        }
        splits.sort { byBytes($0.name, $1.name) }
        return PackInput(root: root, classes: classes, isMultiLabel: false, splits: splits, failures: failures,
                         warnings: layout.problems.map(\.problem))
    }

    /// `splits`: each split's Nanonets folders as prefixes under `root` (`""` for the root itself).
    private static func multiHot(root: String, splits folders: [(name: String, prefixes: [String])]) throws(LabelsError) -> PackInput {
        var contents: [(name: String, prefix: String, NanonetsContents)] = []
        for (name, prefixes) in folders {
            for prefix in prefixes {
                do { contents.append((name, prefix, try NanonetsLayout(root: root + "/" + prefix).read())) } catch { throw .file(error) }
            }
        }
        // One column order for every split: the root's classes.txt, else each split's in turn.
        var classes: [String] = []
        let rootList = root + "/" + NanonetsLayout.classesFile
        if contents.count > 1, FileIO.exists(rootList) { classes = try ClassList.read(path: rootList) }
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
            // Two folders of one split (`Train/`, `train/`) are one split.
            if splits.last?.name == name { splits[splits.count - 1].items += items } else { splits.append((name, items)) }
        }
        splits.sort { byBytes($0.name, $1.name) }
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
