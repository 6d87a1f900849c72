import Foundation

/// The Food-101 download: `food-101/images/<class>/<id>.jpg` and
/// `food-101/meta/{classes.txt,train.json,test.json,train.txt,test.txt}`.
///
/// `train.json` maps each class to its entries (`{"apple_pie": ["apple_pie/1005649", ...]}`),
/// written without the `.jpg`; the `.txt` lists hold one entry per line. The JSON is preferred;
/// the `.txt` list is the fallback. `classes.txt` gives the dataset's own class order, which
/// differs from a sorted listing (`cheesecake` comes before `cheese_plate` there).
public struct Food101Layout: Sendable {
    /// The `food-101` folder (the one holding `images/` and `meta/`).
    public let root: String
    public static let folderName = "food-101"
    /// The splits Food-101 publishes, in order.
    public static let splits = ["train", "test"]

    /// Finds the layout at `path` or in `path/food-101`; nil when neither has `meta/`.
    public init?(locating path: String) {
        let base = FileTree.normalise(path)
        for candidate in [base, base + "/" + Food101Layout.folderName] where FileIO.isDirectory(candidate + "/meta") {
            root = candidate
            return
        }
        return nil
    }

    public var imagesFolder: String { root + "/images" }
    public var metaFolder: String { root + "/meta" }

    /// The classes in the dataset's order: `meta/classes.txt`, or when it is missing the
    /// classes the lists name, sorted.
    public func classes() throws(LayoutError) -> [String] {
        let path = metaFolder + "/classes.txt"
        if FileIO.exists(path) { return DatasetListing.firstAppearance(try LineList.read(path)) }
        var names = Set<String>()
        for split in Food101Layout.splits { names.formUnion(try list(split: split).files.map(\.className)) }
        return DatasetListing.byteOrder(names)
    }

    /// The images `meta/<split>.json` (or `meta/<split>.txt`) lists, classes in `order` first,
    /// each class's entries in the file's order. Entries that would leave `images/` are
    /// returned as problems rather than files.
    public func list(split: String, order: [String] = []) throws(LayoutError) -> SplitList {
        try listWithProblems(split: split, order: order).list
    }

    /// Reads every split and scans `images/` (leaving out paths under `excluding`).
    public func listing(excluding: [String] = []) throws(LayoutError) -> DatasetListing {
        let classes = try classes()
        var lists: [SplitList] = [], problems: [SplitProblem] = []
        for split in Food101Layout.splits {
            let (list, bad) = try listWithProblems(split: split, order: classes)
            lists.append(list)
            problems += bad
        }
        let tree: FileTree
        do { tree = try FileTree(root: imagesFolder, excluding: excluding) } catch {
            throw LayoutError(path: imagesFolder, reason: error.reason)
        }
        let images = tree.images
        let (found, outside) = DatasetListing.classified(images, root: imagesFolder)
        return DatasetListing(layout: .food101, imageRoot: imagesFolder, classes: classes, lists: lists,
                              found: found, problems: problems + SplitProblem.unreadable(in: tree) + outside)
    }

    private func listWithProblems(split: String, order: [String]) throws(LayoutError) -> (list: SplitList, problems: [SplitProblem]) {
        let json = metaFolder + "/\(split).json", text = metaFolder + "/\(split).txt"
        let origin: String
        var entries: [(className: String, entry: String)] = []
        var problems: [SplitProblem] = []
        if FileIO.exists(json) {
            origin = "meta/\(split).json"
            let table = try Food101Layout.decodeTable(json)
            let keys = order.filter { table[$0] != nil } + DatasetListing.byteOrder(table.keys.filter { !order.contains($0) })
            for key in keys { entries += table[key, default: []].map { (key, $0) } }
        } else if FileIO.exists(text) {
            origin = "meta/\(split).txt"
            for line in try LineList.read(text) {
                guard let slash = line.firstIndex(of: "/") else {
                    problems.append(SplitProblem(.invalidEntry, path: line, detail: "\(origin): no class folder in the entry"))
                    continue
                }
                entries.append((String(line[..<slash]), line))
            }
        } else {
            throw LayoutError(path: json, reason: "missing (and no meta/\(split).txt either)")
        }
        var files: [LabelledFile] = []
        files.reserveCapacity(entries.count)
        for (className, entry) in entries {
            guard ContainedPath.isContained(entry), PlainName.problem(className) == nil else {
                problems.append(SplitProblem(.invalidEntry, path: entry, detail: "\(origin): the path leaves images/; ignored"))
                continue
            }
            files.append(LabelledFile(path: Food101Layout.imagePath(entry), className: className))
        }
        return (SplitList(split: split, origin: origin, files: files), problems)
    }

    /// `apple_pie/1005649` → `apple_pie/1005649.jpg` (an entry already naming an image keeps it).
    static func imagePath(_ entry: String) -> String {
        // Food-101's entries have no dot at all: only look closer when the name has one.
        guard let dot = entry.utf8.lastIndex(of: UInt8(ascii: ".")),
              dot > (entry.utf8.lastIndex(of: UInt8(ascii: "/")) ?? entry.utf8.startIndex) else { return entry + ".jpg" }
        return ImageFormat(fileExtension: FileTree.pathExtension(entry)) == nil ? entry + ".jpg" : entry
    }

    static func decodeTable(_ path: String) throws(LayoutError) -> [String: [String]] {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw LayoutError(path: path, reason: error.reason) }
        do {
            return try JSONDecoder().decode([String: [String]].self, from: Data(bytes))
        } catch {
            throw LayoutError(path: path, reason: "not a JSON object mapping each class to a list of image names")
        }
    }
}
