/// The Recipes5k download: `Recipes5k/images/<class>/<n>_<slug>_hostedLargeUrl.jpg` and
/// `Recipes5k/annotations/{train,val,test}_images.txt`, whose lines are paths relative to
/// `images/` (`apple_pie/0_apple_pie_hostedLargeUrl.jpg`).
///
/// The annotations also hold per-image label indices and ingredient lists; this type reads the
/// parts a split needs and is the place to add the rest.
public struct Recipes5kLayout: Sendable {
    /// The `Recipes5k` folder (the one holding `images/` and `annotations/`).
    public let root: String
    public static let folderName = "Recipes5k"
    /// The splits Recipes5k publishes, in order.
    public static let splits = ["train", "val", "test"]

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

    public var imagesFolder: String { root + "/images" }
    public var annotationsFolder: String { root + "/annotations" }

    /// The images `annotations/<split>_images.txt` lists, relative to `images/`, in file order.
    public func images(split: String) throws(LayoutError) -> [String] {
        try LineList.read(annotationsFolder + "/\(split)_images.txt")
    }

    /// The splits whose image list exists, in the dataset's order.
    public func availableSplits() -> [String] {
        Recipes5kLayout.splits.filter { FileIO.exists(annotationsFolder + "/\($0)_images.txt") }
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
                guard DatasetListing.isContained(path), let className = Recipes5kLayout.className(ofImage: path) else {
                    problems.append(SplitProblem(.invalidEntry, path: path,
                                                 detail: "\(origin): not a <class>/<file> path inside images/; ignored"))
                    continue
                }
                files.append(LabelledFile(path: path, className: className))
            }
            lists.append(SplitList(split: split, origin: origin, files: files))
        }
        let images: [String]
        do { images = try FileTree(root: imagesFolder, excluding: excluding).images } catch {
            throw LayoutError(path: imagesFolder, reason: error.reason)
        }
        let (found, outside) = DatasetListing.classified(images, root: imagesFolder)
        return DatasetListing(layout: .recipes5k, imageRoot: imagesFolder, classes: try classes(), lists: lists,
                              found: found, problems: problems + outside)
    }
}
