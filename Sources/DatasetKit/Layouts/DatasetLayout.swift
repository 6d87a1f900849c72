/// What a folder of images is, as every command reads it (`pack`, `stats`, `split`, `augment`,
/// `unpack`'s report): its classes, its splits under the names `SplitName` gives them, and what
/// does not fit.
///
/// - **Multi-label** (Nanonets): `ImageSets/` and `Annotations/` at the root (one split,
///   `train`), or in top folders named as splits. Their annotations are read by
///   `NanonetsLayout`; this reader only finds the folders.
/// - **Split class folders** `<split>/<class>/<file>`: when most images sit two folders down
///   in top folders named as splits (`SplitName`: `Training/` is `train`). Other top folders are
///   reported and left out (fruits-360's `test-multiple_fruits/`), as are images directly in a
///   split folder.
/// - **Class folders** `<class>/<file>`: anything else. Images directly in the root are reported
///   and left out.
///
/// An image deeper in a class folder (`baklava/old/1.jpg`) belongs to that class, as Keras'
/// and torchvision's folder loaders count it, and is reported (`nestedFolder`) so a stray
/// subfolder is seen; it never changes how the rest of the tree is read.
public struct DatasetLayout: Sendable {
    public enum Shape: String, Sendable, Codable {
        /// `<class>/<file>`: no published split.
        case classes
        /// `<split>/<class>/<file>`.
        case splits
        /// `ImageSets/` + `Annotations/`, at the root or per split folder.
        case multiLabel
    }

    /// One split and the files the tree holds for it.
    public struct Split: Sendable, Equatable {
        /// `train`, `val` or `test`.
        public var name: String
        /// The top folders read as this split (`Training`), sorted; `""` for a multi-label root.
        public var folders: [String]
        /// Its images in class folders, sorted by path (empty for multi-label: see `NanonetsLayout`).
        public var files: [LabelledFile]
    }

    public let root: String
    public let shape: Shape
    /// Class folder names in byte order (as Keras and torchvision number them); empty for multi-label.
    public let classes: [String]
    /// In `SplitName` order (train, val, test); empty for `.classes`.
    public let splits: [Split]
    /// Every image in a class folder (all splits), sorted by path.
    public let files: [LabelledFile]
    /// Images in no class folder (relative paths): in the root, directly in a split folder, or
    /// in a top folder of a split tree that is not a split.
    public let loose: [String]
    /// Loose images (`outsideClassFolder`: left out) and images in subfolders of a class
    /// folder (`nestedFolder`: counted in their class), with full paths.
    public let problems: [SplitProblem]
    /// Folders and entries of the tree that could not be read (their images are missing here):
    /// failures of any command that reads the layout, unlike `problems`, which are warnings.
    public private(set) var unreadable: [Problem] = []

    /// True when `folder` holds the Nanonets layout: both `ImageSets/` and `Annotations/`.
    public static func isNanonets(_ folder: String) -> Bool {
        FileIO.isDirectory(folder + "/" + NanonetsLayout.imagesFolder) && FileIO.isDirectory(folder + "/" + NanonetsLayout.annotationsFolder)
    }

    /// Reads the tree at `root`, leaving out paths under `excluding` (an output folder inside it).
    public init(root: String, excluding: [String] = []) throws(LayoutError) {
        let base = FileTree.normalise(root)
        if Self.isNanonets(base) {
            self.init(root: base, shape: .multiLabel, classes: [],
                      splits: [Split(name: SplitName.train.rawValue, folders: [""], files: [])], files: [], loose: [], problems: [])
            return
        }
        let tree: FileTree
        do { tree = try FileTree(root: base, excluding: excluding) } catch { throw LayoutError(path: root, reason: error.reason) }
        let tops = Set(tree.files.compactMap { path in path.firstIndex(of: "/").map { String(path[..<$0]) } })
        let multiLabelTops = tops.filter { Self.isNanonets(base + "/" + $0) }
        if !multiLabelTops.isEmpty {
            self = Self.multiLabelSplits(root: tree.root, folders: multiLabelTops)
        } else {
            self = Self.classFolders(root: tree.root, images: tree.images)
        }
        unreadable = tree.problems
    }

    init(root: String, shape: Shape, classes: [String], splits: [Split], files: [LabelledFile], loose: [String],
         problems: [SplitProblem]) {
        self.root = root
        self.shape = shape
        self.classes = classes
        self.splits = splits
        self.files = files
        self.loose = loose
        self.problems = problems
    }

    /// Nanonets folders in split folders; one whose name is not a split is reported and left out.
    private static func multiLabelSplits(root: String, folders: Set<String>) -> DatasetLayout {
        var bySplit: [SplitName: [String]] = [:]
        var problems: [SplitProblem] = []
        for folder in folders.sorted(by: byBytes) {
            guard let split = SplitName(folder: folder) else {
                problems.append(SplitProblem(.outsideClassFolder, path: root + "/" + folder,
                                             detail: "a multi-label folder whose name is not a split (\(SplitName.accepted)); left out"))
                continue
            }
            bySplit[split, default: []].append(folder)
        }
        let splits = SplitName.allCases.compactMap { name in bySplit[name].map { Split(name: name.rawValue, folders: $0, files: []) } }
        return DatasetLayout(root: root, shape: .multiLabel, classes: [], splits: splits, files: [], loose: [], problems: problems)
    }

    /// Whether images at these paths (relative to the root) form a `<split>/<class>/<file>`
    /// tree: most of them sit two folders down in top folders named as splits. One stray
    /// folder, in either kind of tree, cannot change how the rest is read. Pure, so a command
    /// that has only paths (`clean`) decides as the reader does.
    public static func isSplitTree(_ paths: [String]) -> Bool {
        let inSplits = paths.reduce(0) { count, path in
            let parts = path.split(separator: "/", maxSplits: 2)
            return count + (parts.count == 3 && SplitName(folder: String(parts[0])) != nil ? 1 : 0)
        }
        return inSplits > 0 && inSplits * 2 > paths.count
    }

    /// The split of an image at `path` in a split tree (`Training/Apple/1.jpg` → `train`), or nil.
    public static func split(ofPath path: String) -> String? {
        path.firstIndex(of: "/").flatMap { SplitName.canonical(String(path[..<$0])) }
    }

    /// `<split>/<class>/<file>` or `<class>/<file>`, decided once for the whole tree.
    private static func classFolders(root: String, images: [String]) -> DatasetLayout {
        let parts = images.map { $0.split(separator: "/") }
        let isSplit = isSplitTree(images)
        let depth = isSplit ? 1 : 0
        var files: [LabelledFile] = [], loose: [String] = [], problems: [SplitProblem] = []
        var bySplit: [SplitName: (folders: Set<String>, files: [LabelledFile])] = [:]
        for (path, components) in zip(images, parts) {
            let split = isSplit ? SplitName(folder: String(components[0])) : nil
            guard components.count >= depth + 2, !isSplit || split != nil else {
                loose.append(path)
                problems.append(SplitProblem(.outsideClassFolder, path: root + "/" + path,
                                             detail: looseReason(components, isSplit: isSplit)))
                continue
            }
            let className = String(components[depth])
            let file = LabelledFile(path: path, className: className, name: components[(depth + 1)...].joined(separator: "/"))
            if components.count > depth + 2 {
                let subfolder = components[(depth + 1)..<(components.count - 1)].joined(separator: "/")
                problems.append(SplitProblem(.nestedFolder, path: root + "/" + path,
                                             detail: "in subfolder '\(subfolder)' of class folder '\(className)'; counted as class '\(className)'"))
            }
            files.append(file)
            if let split {
                bySplit[split, default: ([], [])].folders.insert(String(components[0]))
                bySplit[split, default: ([], [])].files.append(file)
            }
        }
        let splits = SplitName.allCases.compactMap { name in
            bySplit[name].map { Split(name: name.rawValue, folders: $0.folders.sorted(by: byBytes), files: $0.files) }
        }
        return DatasetLayout(root: root, shape: isSplit ? .splits : .classes,
                             classes: Set(files.map(\.className)).sorted(by: byBytes),
                             splits: splits, files: files, loose: loose, problems: problems)
    }

    /// Why an image in no class folder is left out.
    private static func looseReason(_ components: [Substring], isSplit: Bool) -> String {
        guard isSplit else { return "not in a class folder; left out" }
        if components.count >= 2 && SplitName(folder: String(components[0])) == nil {
            return "'\(components[0])/' is not a split folder (\(SplitName.accepted)); left out"
        }
        return "not in a <split>/<class>/ folder; left out"
    }

    private static func byBytes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
