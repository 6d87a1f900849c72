/// An image of a dataset with its class; `path` is relative to the dataset's image folder.
public struct LabelledFile: Sendable, Hashable, Codable {
    public var path: String
    public var className: String
    /// The path below its class folder: the name it keeps in `<split>/<class>/`.
    public var name: String

    /// `name` defaults to the path after its first folder (`apple_pie/1005649.jpg` → `1005649.jpg`).
    public init(path: String, className: String, name: String? = nil) {
        self.path = path
        self.className = className
        self.name = name ?? path.firstIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
    }
}

/// A split as the dataset publishes it: its name, the file it came from, the images it lists.
public struct SplitList: Sendable, Equatable {
    public var split: String
    /// Where the list came from (`meta/train.json`), for messages.
    public var origin: String
    public var files: [LabelledFile]

    public init(split: String, origin: String, files: [LabelledFile]) {
        self.split = split
        self.origin = origin
        self.files = files
    }
}

/// What a layout reader tells the split planner about a dataset: its classes in the dataset's
/// own order, the splits it publishes, and the images actually on disk.
public struct DatasetListing: Sendable {
    /// Which reader made it (`food101`, `recipes5k`, `folders`).
    public var layout: LayoutKind
    /// The folder every relative path is under (`food-101/images`).
    public var imageRoot: String
    /// Classes in the dataset's own order (`meta/classes.txt`; sorted by byte order for folders).
    public var classes: [String]
    /// The published splits; empty for a plain `<class>/<file>` tree.
    public var lists: [SplitList]
    /// Every image file found under `imageRoot` that sits in a class folder.
    public var found: [LabelledFile]
    /// What the reader found wrong (entries with unsafe paths, images outside class folders).
    public var problems: [SplitProblem]

    public init(layout: LayoutKind, imageRoot: String, classes: [String], lists: [SplitList],
                found: [LabelledFile], problems: [SplitProblem] = []) {
        self.layout = layout
        self.imageRoot = imageRoot
        self.classes = classes
        self.lists = lists
        self.found = found
        self.problems = problems
    }

    /// A class-folder tree as `split` reads it: a split tree's splits become its published
    /// lists; loose images and images in subfolders of a class are among the problems.
    /// A multi-label (Nanonets) folder is not class folders, and is refused.
    public init(folders layout: DatasetLayout) throws(LayoutError) {
        guard layout.shape != .multiLabel else {
            throw LayoutError(path: layout.root, reason: "a multi-label folder (ImageSets/ + Annotations/), not class folders")
        }
        let lists = layout.splits.map { split in
            SplitList(split: split.name, origin: split.folders.map { $0 + "/" }.joined(separator: ", "), files: split.files)
        }
        self.init(layout: .folders, imageRoot: layout.root, classes: layout.classes, lists: lists,
                  found: layout.files,
                  problems: layout.unreadable.map { SplitProblem(.unreadable, path: $0.path, detail: $0.reason) } + layout.problems)
    }

    /// True for a relative path that stays inside its root (`ContainedPath`'s check). A list
    /// naming `../../etc/passwd` must never make us move that file.
    public static func isContained(_ path: String) -> Bool { ContainedPath.isContained(path) }

    /// The images found under `root` as class-labelled files (class = first folder); files
    /// directly in `root` are reported instead.
    static func classified(_ images: [String], root: String) -> (files: [LabelledFile], problems: [SplitProblem]) {
        var files: [LabelledFile] = [], problems: [SplitProblem] = []
        for path in images {
            if let slash = path.firstIndex(of: "/") {
                files.append(LabelledFile(path: path, className: String(path[..<slash])))
            } else {
                problems.append(SplitProblem(.outsideClassFolder, path: root + "/" + path,
                                             detail: "not in a class folder; left out"))
            }
        }
        return (files, problems)
    }

    /// Classes in the order they first appear.
    static func firstAppearance(_ names: some Sequence<String>) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Byte-order sort (what a `sorted()` listing in Python, Keras and torchvision gives).
    static func byteOrder(_ names: some Sequence<String>) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
