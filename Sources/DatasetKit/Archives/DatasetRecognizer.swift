/// A dataset layout found in a folder, with its size.
public struct RecognizedDataset: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Layout: String, Sendable, Codable {
        /// `food-101/images/<class>/*.jpg` with `food-101/meta/`.
        case food101 = "Food-101"
        /// `Recipes5k/images/<class>/*.jpg` with `Recipes5k/annotations/`.
        case recipes5k = "Recipes5k"
        /// `<split>/<class>/<image>` with train/val/test splits.
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
    /// split names.
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
    static let splitNames: Set<String> = ["train", "training", "val", "valid", "validation", "test", "testing"]

    /// The layout found in `folder` (or in the dataset folder an archive puts in it), or `nil`.
    public static func recognize(_ folder: String) -> RecognizedDataset? {
        let base = FileTree.normalise(folder)
        let known: [(RecognizedDataset.Layout, folder: String, labels: String)] = [
            (.food101, "food-101", "meta"), (.recipes5k, "Recipes5k", "annotations"),
        ]
        for (layout, name, labels) in known {
            for candidate in [base + "/" + name, base]
            where FileIO.isDirectory(candidate + "/images") && FileIO.isDirectory(candidate + "/" + labels) {
                if let found = imagesAndLabels(layout, candidate, labels: labels) { return found }
            }
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

    /// Class folders (`<class>/<image>`) or split class folders (`<split>/<class>/<image>`), looked
    /// for in `folder` or below a chain of single folders (`DIR/dataset/...`).
    private static func classFolders(_ folder: String) -> RecognizedDataset? {
        guard let tree = try? FileTree(root: folder) else { return nil }
        var root = tree.root
        var files = tree.files
        while let first = files.first?.split(separator: "/", maxSplits: 1).first, first.count < files[0].count,
              files.allSatisfy({ $0.hasPrefix(first + "/") }) {
            root += "/" + first
            files = files.map { String($0.dropFirst(first.count + 1)) }
        }
        let images = files.filter { ImageFormat(fileExtension: FileTree.pathExtension($0)) != nil }
            .map { $0.split(separator: "/") }
        let tops = Set(files.compactMap { path in path.firstIndex(of: "/").map { String(path[..<$0]) } })
        let nested = images.filter { $0.count == 3 }
        if !tops.isEmpty, tops.allSatisfy({ splitNames.contains($0.lowercased()) }), !nested.isEmpty {
            return RecognizedDataset(layout: .splitClassFolders, root: root, classes: Set(nested.map { $0[1] }).count,
                                     images: nested.count, extras: tops.sorted())
        }
        let direct = images.filter { $0.count == 2 }
        let classes = Set(direct.map { $0[0] })
        guard classes.count >= 2 else { return nil }
        return RecognizedDataset(layout: .classFolders, root: root, classes: classes.count, images: direct.count, extras: [])
    }
}
