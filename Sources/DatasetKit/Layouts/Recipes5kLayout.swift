import Foundation

/// The Recipes5k download: `Recipes5k/images/<class>/<n>_<slug>_hostedLargeUrl.jpg` and
/// `Recipes5k/annotations/{train,val,test}_images.txt`, whose lines are paths relative to
/// `images/` (`apple_pie/0_apple_pie_hostedLargeUrl.jpg`).
///
/// `{train,val,test}_labels.txt` hold one 0-based line index per image into the parallel files
/// `ingredients_Recipes5k.txt`, `ingredients_simplified_Recipes5k.txt` and `classes_Recipes5k.txt`;
/// ingredient lines are comma-joined, may repeat a token and may end in CRLF.
public struct Recipes5kLayout: Sendable {
    /// The `Recipes5k` folder (the one holding `images/` and `annotations/`).
    public let root: String
    public static let folderName = "Recipes5k"
    /// The splits Recipes5k publishes, in order.
    public static let splits = Split.allCases.map(\.rawValue)

    /// The published splits.
    public enum Split: String, Sendable, CaseIterable {
        case train, val, test
    }

    /// A line of an annotation file that does not say what it should.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var reason: String

        public var description: String { line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)" }
    }

    /// Finds the layout at `path` or in `path/Recipes5k`; nil when neither has `annotations/`.
    public init?(locating path: String) {
        let base = FileTree.normalise(path)
        for candidate in [base, base + "/" + Recipes5kLayout.folderName]
        where FileIO.isDirectory(candidate + "/annotations") {
            root = candidate
            return
        }
        return nil
    }

    /// Like `init?(locating:)`, but says why nothing was found.
    public static func locate(_ path: String) throws(FileError) -> Recipes5kLayout {
        if let layout = Recipes5kLayout(locating: path) { return layout }
        throw FileError(path: path, operation: "read Recipes5k tree at",
                        reason: FileIO.isDirectory(path) ? "no annotations/ folder in it or in its Recipes5k/ folder"
                                                         : "no such folder")
    }

    public var imagesFolder: String { root + "/images" }
    public var annotationsFolder: String { root + "/annotations" }

    /// The images `annotations/<split>_images.txt` lists, relative to `images/`, in file order.
    public func images(split: String) throws(LayoutError) -> [String] {
        try LineList.read(annotationsFolder + "/\(split)_images.txt")
    }

    /// The images of a published split.
    public func images(split: Split) throws(LayoutError) -> [String] {
        try images(split: split.rawValue)
    }

    /// The splits whose image list exists, in the dataset's order.
    public func availableSplits() -> [String] {
        Recipes5kLayout.splits.filter { FileIO.exists(annotationsFolder + "/\($0)_images.txt") }
    }

    /// Why a line of `<split>_images.txt` cannot be used, or nil: it must be a `<class>/<file>`
    /// path that stays inside `images/` (a list naming `../../etc/passwd` must never make us
    /// read, link or move that file). Every reader of the lists asks this.
    public static func imageProblem(_ path: String) -> String? {
        if let reason = ContainedPath.problem(path) { return reason }
        return className(ofImage: path) == nil ? "is not a <class>/<file> path" : nil
    }

    /// The class of an image path: its folder (`apple_pie/0_apple_pie_hostedLargeUrl.jpg` →
    /// `apple_pie`); nil when the path names no folder.
    public static func className(ofImage path: String) -> String? {
        path.firstIndex(of: "/").map { String(path[..<$0]) }
    }

    /// The classes in the dataset's order: first appearance in `classes_Recipes5k.txt` (in
    /// `annotations/`, or beside it), then any class only the image lists name, sorted; with
    /// no class file, the listed classes sorted.
    public func classes() throws(LayoutError) -> [String] {
        var listed = Set<String>()
        for split in availableSplits() {
            listed.formUnion(try images(split: split).compactMap(Recipes5kLayout.className(ofImage:)))
        }
        let candidates = [annotationsFolder + "/classes_Recipes5k.txt", root + "/classes_Recipes5k.txt"]
        guard let file = candidates.first(where: FileIO.exists) else { return DatasetListing.byteOrder(listed) }
        let named = DatasetListing.firstAppearance(try LineList.read(file))
        return named + DatasetListing.byteOrder(listed.subtracting(named))
    }

    /// Each image of `split` with its ingredient list (simplified names, or the raw recipe
    /// lines), tokens trimmed, repeats and order as in the file.
    public func ingredients(split: Split, simplified: Bool) throws -> [(image: String, ingredients: [String])] {
        let images = try self.images(split: split)
        let labelsFile = "\(split.rawValue)_labels.txt"
        let indices = try lines(of: labelsFile).filter { !$0.text.isEmpty }
        guard indices.count == images.count else {
            throw FormatError(path: annotationsFolder + "/" + labelsFile, line: 0,
                              reason: "\(indices.count) lines, but \(split.rawValue)_images.txt lists \(images.count) images")
        }
        let ingredientsFile = simplified ? "ingredients_simplified_Recipes5k.txt" : "ingredients_Recipes5k.txt"
        let recipes = try lines(of: ingredientsFile).map(\.text)
        return try zip(images, indices).map { image, index in
            guard let n = Int(index.text), recipes.indices.contains(n) else {
                throw FormatError(path: annotationsFolder + "/" + labelsFile, line: index.line,
                                  reason: "'\(index.text)' is not a line index into \(ingredientsFile) (0..<\(recipes.count))")
            }
            let tokens = recipes[n].split(separator: ",").map { $0.trimmedBlanks }.filter { !$0.isEmpty }
            return (image, tokens)
        }
    }

    /// The lines of an annotation file, trimmed (so CRLF and stray blanks do not matter), with
    /// their 1-based numbers; a final newline does not make an extra line.
    private func lines(of name: String) throws -> [(line: Int, text: String)] {
        // Split the bytes, not a String: Swift reads "\r\n" as one Character, not a "\n".
        var parts = try FileIO.read(annotationsFolder + "/" + name).split(separator: 0x0A, omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.enumerated().map { ($0.offset + 1, String(decoding: $0.element, as: UTF8.self).trimmedBlanks) }
    }

    /// Reads every split list and scans `images/` (leaving out paths under `excluding`).
    public func listing(excluding: [String] = []) throws(LayoutError) -> DatasetListing {
        let splits = availableSplits()
        guard !splits.isEmpty else {
            throw LayoutError(path: annotationsFolder, reason: "no train_images.txt, val_images.txt or test_images.txt")
        }
        var lists: [SplitList] = [], problems: [SplitProblem] = []
        for split in splits {
            let origin = "annotations/\(split)_images.txt"
            var files: [LabelledFile] = []
            for path in try images(split: split) {
                guard Recipes5kLayout.imageProblem(path) == nil, let className = Recipes5kLayout.className(ofImage: path) else {
                    problems.append(SplitProblem(.invalidEntry, path: path,
                                                 detail: "\(origin): not a <class>/<file> path inside images/; ignored"))
                    continue
                }
                files.append(LabelledFile(path: path, className: className))
            }
            lists.append(SplitList(split: split, origin: origin, files: files))
        }
        let tree: FileTree
        do { tree = try FileTree(root: imagesFolder, excluding: excluding) } catch {
            throw LayoutError(path: imagesFolder, reason: error.reason)
        }
        let images = tree.images
        let (found, outside) = DatasetListing.classified(images, root: imagesFolder)
        return DatasetListing(layout: .recipes5k, imageRoot: imagesFolder, classes: try classes(), lists: lists,
                              found: found, problems: problems + SplitProblem.unreadable(in: tree) + outside)
    }
}

private extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line ends.
    var trimmedBlanks: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
