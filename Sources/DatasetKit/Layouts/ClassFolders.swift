/// A plain tree of class folders: `<class>/<file>`, or already split as
/// `<split>/<class>/<file>` (top-level folders all named train, val, valid, validation or test).
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
    /// Top-level folder names read as split names, in this order.
    public static let splitNames = ["train", "val", "valid", "validation", "test"]

    /// Scans `root`, leaving out paths under `excluding` (an output folder inside the input).
    public init(root: String, excluding: [String] = []) throws(LayoutError) {
        let tree: FileTree
        do { tree = try FileTree(root: root, excluding: excluding) } catch {
            throw LayoutError(path: root, reason: error.reason)
        }
        self.root = tree.root
        images = tree.images
        let tops = Set(images.compactMap { path in path.firstIndex(of: "/").map { String(path[..<$0]) } })
        let deep = images.contains { $0.split(separator: "/").count >= 3 }
        shape = deep && !tops.isEmpty && tops.isSubset(of: ClassFolders.splitNames) ? .splits : .classes
    }

    /// Classes sorted by byte order (as Keras' and torchvision's folder loaders number them),
    /// and for a split tree one list per split folder.
    public func listing() -> DatasetListing {
        switch shape {
        case .classes:
            let (found, problems) = DatasetListing.classified(images, root: root)
            return DatasetListing(layout: .folders, imageRoot: root,
                                  classes: DatasetListing.byteOrder(Set(found.map(\.className))),
                                  lists: [], found: found, problems: problems)
        case .splits:
            var bySplit: [String: [LabelledFile]] = [:]
            var problems: [SplitProblem] = []
            for path in images {
                let parts = path.split(separator: "/", maxSplits: 2)
                guard parts.count == 3 else {
                    problems.append(SplitProblem(.outsideClassFolder, path: root + "/" + path,
                                                 detail: "not in a <split>/<class>/ folder; left out"))
                    continue
                }
                bySplit[String(parts[0]), default: []].append(LabelledFile(path: path, className: String(parts[1]),
                                                                                 name: String(parts[2])))
            }
            let lists = ClassFolders.splitNames.compactMap { split in
                bySplit[split].map { SplitList(split: split, origin: split + "/", files: $0) }
            }
            let found = lists.flatMap(\.files)
            return DatasetListing(layout: .folders, imageRoot: root,
                                  classes: DatasetListing.byteOrder(Set(found.map(\.className))),
                                  lists: lists, found: found, problems: problems)
        }
    }
}
