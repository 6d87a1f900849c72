import DatasetKit
import Foundation

/// What `dataset features` reads: a shards folder from `dataset pack` (npy or WebDataset, with
/// its `manifest.json`), or a tree of class folders (with splits, or one split `train`), listed
/// as the rows of each split in the order features are written.
public struct FeatureSource: Sendable {
    public enum Kind: String, Sendable, Codable {
        /// Image files in class folders (or a multi-hot Nanonets layout), decoded here.
        case folder
        /// npy shards: uint8 (or float32, already normalised) pixels, memory-mapped.
        case npy
        /// WebDataset tars: JPEGs of the packed size, decoded here.
        case webdataset
    }

    /// One row: where it comes from and, when known before it is read, its label.
    public struct Row: Sendable {
        /// What `files.txt` says of it: the image path relative to the source, or
        /// `<shard file>#<row>`; also what `--shard I/N` hashes.
        public var source: String
        /// Nil for WebDataset rows, whose labels are inside the tar.
        public var label: PackLabel?
        /// The shard (index into the split's shards) and row in it; nil for image files.
        public var shardRow: (shard: Int, row: Int)?
    }

    public struct Split: Sendable {
        public var name: String
        public var rows: [Row]
    }

    public let kind: Kind
    /// The folder, normalised.
    public let path: String
    public let classes: [String]
    public let multiLabel: Bool
    public let splits: [Split]
    /// The pack's manifest (shards only) and the SHA-256 of its bytes.
    public let manifest: Manifest?
    public let manifestSHA256: String?
    /// Files found while listing that cannot become rows (a class missing from classes.txt), and
    /// notes on others.
    public let failures: [Problem]
    public let warnings: [Problem]

    /// Opens `path`: a shards folder when it holds `manifest.json`, else an image tree.
    /// `excluding` leaves an output folder inside the tree out of the listing.
    public static func open(_ path: String, excluding: [String] = []) throws -> FeatureSource {
        let folder = FileTree.normalise(path)
        let manifestPath = folder + "/" + Manifest.fileName
        if FileIO.exists(manifestPath) { return try shards(folder, manifestPath: manifestPath) }
        let parts = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("manifest.w") && $0.hasSuffix(".json") }
        if !parts.isEmpty {
            throw FeatureError.source(folder, "holds the part manifests of `pack --shard` workers (\(parts.sorted().joined(separator: ", "))) "
                                      + "but no manifest.json: run `dataset merge-manifests \(folder)` first")
        }
        let input = try PackInput.read(root: folder, excluding: excluding)
        guard !input.classes.isEmpty, input.itemCount > 0 else {
            throw FeatureError.source(folder, "holds no manifest.json (not a pack) and no images in class folders "
                                      + "(<split>/<class>/<file> or <class>/<file>)")
        }
        let splits = input.splits.map { split in
            Split(name: split.name, rows: split.items.map { Row(source: $0.path, label: $0.label, shardRow: nil) })
        }
        return FeatureSource(kind: .folder, path: input.root, classes: input.classes, multiLabel: input.isMultiLabel, splits: splits,
                             manifest: nil, manifestSHA256: nil, failures: input.failures, warnings: input.warnings)
    }

    private static func shards(_ folder: String, manifestPath: String) throws -> FeatureSource {
        let bytes = try FileIO.read(manifestPath)
        let manifest: Manifest
        do { manifest = try Manifest(path: manifestPath) } catch let error as ManifestFieldError {
            throw FeatureError.source(folder, error.description)
        }
        guard !manifest.classes.isEmpty else { throw FeatureError.source(manifestPath, "classes is empty") }
        let digest = StreamingDigest(.sha256)
        bytes.withUnsafeBytes { digest.update($0) }
        let multiLabel = manifest.labels == .multiHot
        var splits: [Split] = []
        for split in manifest.splits {
            var rows: [Row] = []
            for (s, shard) in split.shards.enumerated() {
                switch manifest.format {
                case .npy:
                    guard let images = shard.files.first(where: { $0.role == "images" }),
                          let labels = shard.files.first(where: { $0.role == "labels" }) else {
                        throw FeatureError.source(manifestPath, "a shard of split '\(split.name)' lists no images or labels file")
                    }
                    let values = try ShardLabels.read(folder + "/" + labels.name, rows: shard.rows, classes: manifest.classes.count,
                                                      multiHot: multiLabel)
                    rows += values.enumerated().map { Row(source: images.name + "#" + String($0.offset), label: $0.element, shardRow: (s, $0.offset)) }
                case .webdataset:
                    guard let tar = shard.files.first(where: { $0.role == "samples" }) else {
                        throw FeatureError.source(manifestPath, "a shard of split '\(split.name)' lists no .tar file")
                    }
                    rows += (0..<shard.rows).map { Row(source: tar.name + "#" + String($0), label: nil, shardRow: (s, $0)) }
                }
            }
            splits.append(Split(name: split.name, rows: rows))
        }
        return FeatureSource(kind: manifest.format == .npy ? .npy : .webdataset, path: folder, classes: manifest.classes,
                             multiLabel: multiLabel, splits: splits, manifest: manifest, manifestSHA256: digest.finalize(),
                             failures: [], warnings: [])
    }

    /// Rows in all splits.
    public var rowCount: Int { splits.reduce(0) { $0 + $1.rows.count } }
}

/// The labels file of one npy shard, checked against the manifest.
enum ShardLabels {
    static func read(_ path: String, rows: Int, classes: Int, multiHot: Bool) throws -> [PackLabel] {
        let reader = try NPYReader(path: path)
        guard reader.rowCount == rows else {
            throw FeatureError.source(path, "holds \(reader.rowCount) labels; the manifest says the shard has \(rows) rows")
        }
        if multiHot {
            guard reader.dtype == .uint8, reader.shape == [rows, classes] else {
                throw FeatureError.source(path, "multi-hot labels must be uint8 (\(rows), \(classes)), not \(reader.dtype.name) \(reader.shape)")
            }
            let values = reader.uint8Values()
            guard values.allSatisfy({ $0 <= 1 }) else { throw FeatureError.source(path, "multi-hot labels must be 0 or 1") }
            return (0..<rows).map { .multiHot(Array(values[($0 * classes)..<(($0 + 1) * classes)])) }
        }
        guard reader.dtype == .int64, reader.shape == [rows] else {
            throw FeatureError.source(path, "class labels must be int64 (\(rows),), not \(reader.dtype.name) \(reader.shape)")
        }
        return try reader.int64Values().map { value in
            guard (0..<Int64(classes)).contains(value) else { throw FeatureError.source(path, "label \(value) is outside the \(classes) classes") }
            return .index(Int(value))
        }
    }
}
