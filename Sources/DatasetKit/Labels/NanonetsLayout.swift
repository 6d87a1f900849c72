import Foundation

/// The multi-label layout of Nanonets' tutorial, plus two index files for trainers:
///
///     ImageSets/<stem>.jpg      the images, flat
///     Annotations/<stem>.txt    label names, one per line
///     classes.txt               the classes, one per line, in matrix order
///     labels.csv                filename,<class1>,... with 0/1 cells
public struct NanonetsLayout: Sendable {
    public static let imagesFolder = "ImageSets"
    public static let annotationsFolder = "Annotations"
    public static let classesFile = "classes.txt"
    public static let matrixFile = "labels.csv"

    /// The folder holding `ImageSets/` and `Annotations/`.
    public let root: String

    public init(root: String) { self.root = FileTree.normalise(root) }

    /// The annotation for an image named `image` in `ImageSets/` (`Annotations/<stem>.txt`).
    public static func annotationPath(forImage image: String) -> String {
        annotationsFolder + "/" + FileTree.deletingExtension(image) + ".txt"
    }

    /// An annotation file's text: one label per line, each line ending in a newline.
    public static func annotationText(_ labels: [String]) -> String { ClassList.text(labels) }

    /// Creates `ImageSets/` and `Annotations/` (and the root).
    public func createFolders() throws(FileError) {
        try FileIO.createDirectories(root + "/" + Self.imagesFolder)
        try FileIO.createDirectories(root + "/" + Self.annotationsFolder)
    }

    /// Writes `classes.txt` and `labels.csv` for `matrix` (atomically; replaced on a rerun, as
    /// they describe the whole set).
    public func writeIndex(_ matrix: MultiHotMatrix, matrixFile: String = NanonetsLayout.matrixFile) throws(FileError) {
        try FileIO.createDirectories(root)
        try FileIO.writeAtomically(Array(ClassList.text(matrix.classes).utf8), to: root + "/" + Self.classesFile)
        try FileIO.writeAtomically(Array(matrix.csvText.utf8), to: root + "/" + matrixFile)
    }

    /// Distinct flat stems for images given by their paths (`<class>/<file>` or plain names).
    /// A file keeps its own stem unless another source has the same one; then each of them is
    /// prefixed with its folders (`miso_soup__0_miso_hostedLargeUrl`), and if that is still not
    /// enough (same folder, same stem), suffixed with its extension and then a number. The result
    /// depends only on the set of sources, not their order; `renamed` marks stems that differ
    /// from the file's own.
    public static func uniqueStems(_ sources: [String]) -> [(stem: String, renamed: Bool)] {
        let leaves = sources.map { FileTree.deletingExtension(String($0.split(separator: "/").last ?? "")) }
        let leafCounts = Dictionary(leaves.map { ($0, 1) }, uniquingKeysWith: +)
        var names = sources.indices.map { i in
            leafCounts[leaves[i]] == 1 ? leaves[i] : FileTree.deletingExtension(sources[i]).replacingSlashes
        }
        let nameCounts = Dictionary(names.map { ($0, 1) }, uniquingKeysWith: +)
        var taken = Set(names.filter { nameCounts[$0] == 1 })
        let byPath = sources.indices.sorted { sources[$0].utf8.lexicographicallyPrecedes(sources[$1].utf8) }
        for i in byPath where nameCounts[names[i]]! > 1 {
            let base = names[i] + "_" + FileTree.pathExtension(sources[i]).lowercased()
            var name = base, n = 2
            while !taken.insert(name).inserted { name = base + "_\(n)"; n += 1 }
            names[i] = name
        }
        return sources.indices.map { (names[$0], names[$0] != leaves[$0]) }
    }
}

/// A Nanonets folder read back: the matrix of its images, and what did not fit.
public struct NanonetsContents: Sendable, Equatable {
    /// One row per image with an annotation, named as in `ImageSets/`, in sorted order.
    public var matrix: MultiHotMatrix
    /// Images without an annotation, annotations without an image, unreadable annotations.
    public var failures: [Problem]
    /// Labels missing from `classes.txt` (added after the listed ones), repeated labels.
    public var warnings: [Problem]
}

extension NanonetsLayout {
    /// Reads `ImageSets/` and `Annotations/` into a matrix. The class order is `classes.txt`'s
    /// when present (labels it lacks follow, sorted, with a warning), else sorted.
    public func read() throws(FileError) -> NanonetsContents {
        let imageTree = try FileTree(root: root + "/" + Self.imagesFolder)
        let images = imageTree.images
        let annotationsRoot = root + "/" + Self.annotationsFolder
        let annotationTree = try FileTree(root: annotationsRoot)
        let annotations = annotationTree.files.filter { FileTree.pathExtension($0).lowercased() == "txt" }
        let annotationByStem = Dictionary(annotations.map { (FileTree.deletingExtension($0), $0) }, uniquingKeysWith: { a, _ in a })
        var failures = imageTree.problems + annotationTree.problems, warnings: [Problem] = []
        var rows: [MultiHotMatrix.Row] = []
        var used = Set<String>()
        for image in images {
            let imagePath = root + "/" + Self.imagesFolder + "/" + image
            guard let annotation = annotationByStem[FileTree.deletingExtension(image)] else {
                failures.append(Problem(path: imagePath, reason: "no annotation \(Self.annotationPath(forImage: image))"))
                continue
            }
            let annotationPath = annotationsRoot + "/" + annotation
            guard used.insert(annotation).inserted else {
                failures.append(Problem(path: imagePath, reason: "another image has the same stem, so the same annotation \(annotation)"))
                continue
            }
            let bytes: [UInt8]
            do { bytes = try FileIO.read(annotationPath) } catch {
                failures.append(Problem(path: annotationPath, reason: error.reason))
                continue
            }
            var labels: [String] = [], repeated: [String] = []
            for label in Self.lines(bytes) { if labels.contains(label) { repeated.append(label) } else { labels.append(label) } }
            if !repeated.isEmpty {
                warnings.append(Problem(path: annotationPath, reason: "repeated label\(repeated.count == 1 ? "" : "s") "
                                        + repeated.map { "'\($0)'" }.joined(separator: ", ") + " (counted once)"))
            }
            rows.append(MultiHotMatrix.Row(filename: image, labels: labels))
        }
        for annotation in annotations where !used.contains(annotation) {
            failures.append(Problem(path: annotationsRoot + "/" + annotation, reason: "no image \(FileTree.deletingExtension(annotation)).* in \(Self.imagesFolder)/"))
        }
        let classes = try classOrder(for: rows, warnings: &warnings)
        return NanonetsContents(matrix: MultiHotMatrix(classes: classes, rows: rows), failures: failures, warnings: warnings)
    }

    /// `classes.txt`'s order, then any other labels (sorted, reported); sorted without the file.
    private func classOrder(for rows: [MultiHotMatrix.Row], warnings: inout [Problem]) throws(FileError) -> [String] {
        let byBytes: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let used = Set(rows.flatMap(\.labels))
        let classesPath = root + "/" + Self.classesFile
        guard FileIO.exists(classesPath) else { return used.sorted(by: byBytes) }
        var listed: [String] = []
        for name in Self.lines(try FileIO.read(classesPath)) where !listed.contains(name) { listed.append(name) }
        let extra = used.subtracting(listed).sorted(by: byBytes)
        for label in extra {
            let count = rows.filter { $0.labels.contains(label) }.count
            warnings.append(Problem(path: classesPath, reason: "label '\(label)' (\(MultiHotReport.images(count))) is not listed: added after the listed classes"))
        }
        return listed + extra
    }

    /// Non-empty trimmed lines (LF or CRLF).
    static func lines(_ bytes: [UInt8]) -> [String] { ClassList.lines(bytes).filter { !$0.isEmpty } }
}

private extension String {
    /// `a/b/c` → `a__b__c`: a folder path as part of a flat file name.
    var replacingSlashes: String { split(separator: "/").joined(separator: "__") }
}
