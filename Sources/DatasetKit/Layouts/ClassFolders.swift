/// A plain tree of class folders: `<class>/<file>`, or already split as
/// `<split>/<class>/<file>` (the top-level folders holding class folders all named train, val,
/// valid, validation or test in any case, or Training and Test as fruits-360 names them).
public struct ClassFolders: Sendable {
    public enum Shape: String, Sendable, Codable {
        /// `<class>/<file>`: no published split.
        case classes
        /// `<split>/<class>/<file>`: the folders are the split.
        case splits
    }

    public let root: String
    public let shape: Shape
    /// The image files, relative to `root`, sorted by byte order.
    public let images: [String]
    /// Folders and entries of the tree that could not be read.
    public let unreadable: [SplitProblem]
    /// Top-level folder names read as split names, in this order.
    public static let splitNames = ["train", "val", "valid", "validation", "test"]

    /// The split a top-level folder stands for: its name in lower case when that is a split
    /// name, `training` and `testing` (fruits-360's `Training/`, `Test/`) as `train` and `test`;
    /// nil for any other folder.
    public static func split(forFolder name: String) -> String? {
        let lower = name.lowercased()
        switch lower {
        case "training": return "train"
        case "testing": return "test"
        default: return splitNames.contains(lower) ? lower : nil
        }
    }

    /// Scans `root`, leaving out paths under `excluding` (an output folder inside the input).
    public init(root: String, excluding: [String] = []) throws(LayoutError) {
        let tree: FileTree
        do { tree = try FileTree(root: root, excluding: excluding) } catch {
            throw LayoutError(path: root, reason: error.reason)
        }
        self.root = tree.root
        images = tree.images
        unreadable = SplitProblem.unreadable(in: tree)
        // Split folders are the top folders holding class folders; a top folder of loose images
        // beside them (fruits-360's test-multiple_fruits/) is reported and left out.
        let deepTops = Set(images.compactMap { path -> String? in
            let parts = path.split(separator: "/", maxSplits: 2)
            return parts.count == 3 ? String(parts[0]) : nil
        })
        shape = !deepTops.isEmpty && deepTops.allSatisfy { ClassFolders.split(forFolder: $0) != nil } ? .splits : .classes
    }

    /// Classes sorted by byte order (as Keras' and torchvision's folder loaders number them),
    /// and for a split tree one list per split folder.
    public func listing() -> DatasetListing {
        switch shape {
        case .classes:
            let (found, problems) = DatasetListing.classified(images, root: root)
            return DatasetListing(layout: .folders, imageRoot: root,
                                  classes: DatasetListing.byteOrder(Set(found.map(\.className))),
                                  lists: [], found: found, problems: unreadable + problems)
        case .splits:
            var bySplit: [String: [LabelledFile]] = [:]
            var problems: [SplitProblem] = []
            var folders: [String: Set<String>] = [:]
            for path in images {
                let parts = path.split(separator: "/", maxSplits: 2)
                guard parts.count == 3, let split = ClassFolders.split(forFolder: String(parts[0])) else {
                    problems.append(SplitProblem(.outsideClassFolder, path: root + "/" + path,
                                                 detail: "not in a <split>/<class>/ folder; left out"))
                    continue
                }
                bySplit[split, default: []].append(LabelledFile(path: path, className: String(parts[1]), name: String(parts[2])))
                folders[split, default: []].insert(String(parts[0]))
            }
            let lists = ClassFolders.splitNames.compactMap { split in
                bySplit[split].map { files in
                    SplitList(split: split, origin: folders[split, default: []].sorted().map { $0 + "/" }.joined(separator: ", "), files: files)
                }
            }
            let found = lists.flatMap(\.files)
            return DatasetListing(layout: .folders, imageRoot: root,
                                  classes: DatasetListing.byteOrder(Set(found.map(\.className))),
                                  lists: lists, found: found, problems: unreadable + problems)
        }
    }
}
