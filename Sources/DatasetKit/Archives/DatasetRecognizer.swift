/// A dataset layout found in a folder, with its size.
public struct RecognizedDataset: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Layout: String, Sendable, Codable {
        /// `food-101/images/<class>/*.jpg` with `food-101/meta/`.
        case food101 = "Food-101"
        /// `Recipes5k/images/<class>/*.jpg` with `Recipes5k/annotations/`.
        case recipes5k = "Recipes5k"
        /// `<split>/<class>/<image>` with train/val/test splits (`SplitName`).
        case splitClassFolders = "split class folders"
        /// `<class>/<image>`.
        case classFolders = "class folders"
    }

    public var layout: Layout
    /// The dataset's folder (e.g. `DIR/food-101`).
    public var root: String
    public var classes: Int
    public var images: Int
    /// The label files beside the images (Food-101's `meta/`, Recipes5k's `annotations/`), or the
    /// split names as `pack` and `split` write them (`Training/` is `train`), in train, val, test order.
    public var extras: [String]

    public var description: String {
        let what: String
        switch layout {
        case .food101: what = "meta: "
        case .recipes5k: what = "annotations: "
        case .splitClassFolders: what = "splits: "
        case .classFolders: what = ""
        }
        let extra = extras.isEmpty || what.isEmpty ? "" : "; " + what + extras.joined(separator: ", ")
        return "\(layout.rawValue) in \(root): \(classes) classes, \(images) images\(extra)"
    }
}

/// Recognises the dataset layouts people download — Food-101, Recipes5k, class folders — by
/// looking at a folder tree (typically one just unpacked).
public enum DatasetRecognizer {
    /// The layout found in `folder` (or in the dataset folder an archive puts in it), or `nil`.
    public static func recognize(_ folder: String) -> RecognizedDataset? {
        let base = FileTree.normalise(folder)
        // Found where `split` finds them (`Food101Layout`, `Recipes5kLayout`), with their images.
        let known: [(RecognizedDataset.Layout, root: String?, labels: String)] = [
            (.food101, Food101Layout(locating: base)?.root, "meta"),
            (.recipes5k, Recipes5kLayout(locating: base)?.root, "annotations"),
        ]
        for (layout, root, labels) in known {
            if let root, FileIO.isDirectory(root + "/images"), let found = imagesAndLabels(layout, root, labels: labels) { return found }
        }
        return classFolders(base)
    }

    /// Food-101 or Recipes5k: class folders under `images/`, label files under `labels`.
    private static func imagesAndLabels(_ layout: RecognizedDataset.Layout, _ root: String, labels: String) -> RecognizedDataset? {
        guard let images = try? FileTree(root: root + "/images").images else { return nil }
        let names = Set(images.compactMap { path -> Substring? in
            guard let slash = path.firstIndex(of: "/") else { return nil }
            return path[..<slash]
        })
        let extras = (try? FileTree(root: root + "/" + labels).files) ?? []
        return RecognizedDataset(layout: layout, root: root, classes: names.count, images: images.count, extras: extras)
    }

    /// Class folders (`<class>/<image>`) or split class folders (`<split>/<class>/<image>`) as
    /// `DatasetLayout` reads them, looked for in `folder` or below a chain of single folders
    /// (`DIR/dataset/...`; a lone split folder, `train/`, is a split tree and not descended).
    private static func classFolders(_ folder: String) -> RecognizedDataset? {
        guard let tree = try? FileTree(root: folder) else { return nil }
        var root = tree.root
        var files = tree.files
        while let first = files.first?.split(separator: "/", maxSplits: 1).first, first.count < files[0].count,
              SplitName(folder: String(first)) == nil, files.allSatisfy({ $0.hasPrefix(first + "/") }) {
            root += "/" + first
            files = files.map { String($0.dropFirst(first.count + 1)) }
        }
        guard let layout = try? DatasetLayout(root: root) else { return nil }
        switch layout.shape {
        case .splits:
            return RecognizedDataset(layout: .splitClassFolders, root: root, classes: layout.classes.count,
                                     images: layout.files.count, extras: layout.splits.map(\.name))
        case .classes:
            guard layout.classes.count >= 2 else { return nil }
            return RecognizedDataset(layout: .classFolders, root: root, classes: layout.classes.count, images: layout.files.count, extras: [])
        case .multiLabel:
            return nil
        }
    }
}
