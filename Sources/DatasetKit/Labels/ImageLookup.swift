/// Finds the image file a CSV id names. HackerEarth ids carry no extension (`train_img/<id>.png`),
/// other CSVs name the file in full: an id matches a file by its exact relative path, or by its
/// path without extension (the stem), or by `<id>.<extension>` when an extension is given.
public struct ImageLookup: Sendable {
    /// The result of looking an id up.
    public enum Match: Sendable, Equatable {
        /// The image, relative to the root.
        case found(String)
        /// No image for the id.
        case missing
        /// Several images share the id's stem (`x.png` and `x.jpg`); the caller should ask for
        /// one extension.
        case ambiguous([String])
    }

    /// The folder searched.
    public let root: String
    /// Every image below the root, relative and sorted.
    public let images: [String]
    private let paths: Set<String>
    private let byStem: [String: [String]]

    /// Indexes the images of `tree`.
    public init(tree: FileTree) {
        root = tree.root
        images = tree.images
        paths = Set(images)
        byStem = Dictionary(grouping: images, by: FileTree.deletingExtension)
    }

    /// The image for `id`. With `fileExtension` (e.g. `png`, any case on disk), only
    /// `<id>.<fileExtension>` or the id itself when it already ends so is accepted.
    public func find(id: String, fileExtension: String? = nil) -> Match {
        let candidates = byStem[id] ?? []
        if let ext = fileExtension?.lowercased() {
            if FileTree.pathExtension(id).lowercased() == ext, paths.contains(id) { return .found(id) }
            let named = candidates.filter { FileTree.pathExtension($0).lowercased() == ext }
            return named.count == 1 ? .found(named[0]) : (named.isEmpty ? .missing : .ambiguous(named))
        }
        if paths.contains(id) { return .found(id) }
        switch candidates.count {
        case 0: return .missing
        case 1: return .found(candidates[0])
        default: return .ambiguous(candidates)
        }
    }
}

/// A labels row and the image it names (relative to the lookup's root).
public struct ResolvedRow: Sendable, Equatable {
    public var row: LabelRow
    public var image: String
}

/// The rows of a labels table matched to their images.
public struct ResolvedRows: Sendable, Equatable {
    /// Each usable row with its image, in table order.
    public var rows: [ResolvedRow]
    /// The table's failures, plus rows with no image, several candidate images, or an image
    /// another row already names.
    public var failures: [Problem]
    /// The table's warnings, plus images that no row names (left out).
    public var warnings: [Problem]
}

extension ImageLookup {
    /// Finds every row's image and reports ids with no image and images with no row.
    public func resolve(_ table: LabelTable, fileExtension: String? = nil) -> ResolvedRows {
        var result = ResolvedRows(rows: [], failures: table.failures, warnings: table.warnings)
        var claimedBy: [String: LabelRow] = [:]
        for row in table.rows {
            let place = "\(table.path):\(row.line)"
            switch find(id: row.id, fileExtension: fileExtension) {
            case .found(let image):
                if let earlier = claimedBy[image] {
                    result.failures.append(Problem(path: place, reason: "id '\(row.id)' names \(image), as id '\(earlier.id)' on line \(earlier.line) does"))
                } else {
                    claimedBy[image] = row
                    result.rows.append(ResolvedRow(row: row, image: image))
                }
            case .missing:
                let tried = fileExtension.map { "\(row.id).\($0)" } ?? "\(row.id) or \(row.id).*"
                result.failures.append(Problem(path: place, reason: "id '\(row.id)': no image \(tried) in \(root)"))
            case .ambiguous(let paths):
                result.failures.append(Problem(path: place, reason: "id '\(row.id)': several images match (\(paths.joined(separator: ", "))); "
                                               + "choose one with --extension"))
            }
        }
        // An id left out for conflicting rows still names its image: that is no unlabelled image.
        let named = Set(table.conflictingIDs.compactMap { id -> String? in
            if case .found(let image) = find(id: id, fileExtension: fileExtension) { return image }
            return nil
        })
        for image in images where claimedBy[image] == nil && !named.contains(image) {
            result.warnings.append(Problem(path: root + "/" + image, reason: "no row in \(table.path): left out"))
        }
        return result
    }
}
