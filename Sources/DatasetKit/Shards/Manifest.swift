import Foundation

/// `manifest.json`: everything a trainer needs to read a packed dataset without guessing.
///
/// ```json
/// {"formatVersion": 1, "format": "npy", "classes": ["apple_pie", ...], "labels": "class",
///  "image": {"height": 128, "width": 128, "channels": 3, "dtype": "uint8"},
///  "preparation": {"background": {"red": 255, ...}, "applyOrientation": true, "dctReduction": true,
///    "resize": {"size": {"width": 128, "height": 128}, "mode": "stretch", ...},
///    "normalization": {"kind": "torch", "scale": 0.0039.., "mean": [...], "std": [...], "channelOrder": "rgb"}},
///  "splits": [{"name": "train", "count": 750, "shards": [{"rows": 750, "files": [
///     {"name": "train-00000.images.npy", "role": "images", "shape": [750, 128, 128, 3],
///      "dtype": "uint8", "bytes": 36864128, "sha256": "..."}, ...]}]}]}
/// ```
public struct Manifest: Sendable, Equatable, Codable {
    /// Bumped when a reader of an older manifest would misread this one.
    public static let currentFormatVersion = 1
    public static let fileName = "manifest.json"

    public var formatVersion: Int = Manifest.currentFormatVersion
    public var format: ShardFormat
    /// Class names in label order: label `i` (or multi-hot column `i`) is `classes[i]`.
    public var classes: [String]
    public var labels: LabelKind
    public var image: ImageLayout
    /// How image files became these rows (decode settings, resize) and what turns the rows into
    /// network inputs: the value a model trained on the pack records and `predict` applies.
    /// Manifests written before it existed read as the default decode settings with their
    /// `resize` and `normalization` (see `ManifestCoding.swift`).
    public var preparation: ImagePreparation
    /// Mean and std of the packed pixels (0-1 scale) of the statistics split, for `dataset` normalisation.
    public var statistics: PixelStatistics
    /// The seed rows were shuffled with within each split; nil when in source order.
    public var shuffleSeed: UInt64?
    public var splits: [Split]
    /// Set in the manifest of one `--shard` worker (`manifest.wIofN.json`); nil in a whole pack.
    public var part: Part?

    public enum LabelKind: String, Sendable, Equatable, Codable {
        /// One class per image: int64 `(N,)` class indices, or `<key>.cls` text.
        case `class`
        /// Any number of classes per image: uint8 `(N, C)` 0/1 rows, or `<key>.json`.
        case multiHot = "multihot"
    }

    public struct ImageLayout: Sendable, Equatable, Codable {
        public var height: Int
        public var width: Int
        public var channels: Int = 3
        /// `uint8` (0-255, normalise in the trainer) or `float32` (already normalised).
        public var dtype: String
        /// In WebDataset shards, the images are JPEGs of this quality.
        public var jpegQuality: Int?
    }

    public struct PixelStatistics: Sendable, Equatable, Codable {
        /// The split the statistics describe: `train`, or `none` (zeros) when the pack has no train split.
        public var split: String
        public var mean: [Double]
        public var std: [Double]
    }

    public struct Split: Sendable, Equatable, Codable {
        public var name: String
        /// Rows written.
        public var count: Int
        /// Rows per class, in class order (for multi-hot: rows carrying each class).
        public var classCounts: [Int]
        public var mean: [Double]
        public var std: [Double]
        public var shards: [Shard]
    }

    public struct Shard: Sendable, Equatable, Codable {
        public var rows: Int
        public var files: [File]
    }

    public struct File: Sendable, Equatable, Codable {
        /// The file name, beside `manifest.json`.
        public var name: String
        /// `images`, `labels` (npy), `samples` (WebDataset tar) or `sources` (one source path per row).
        public var role: String
        public var shape: [Int]?
        public var dtype: String?
        public var bytes: Int
        public var sha256: String

        public init(name: String, role: String, shape: [Int]?, dtype: String?, bytes: Int, sha256: String) {
            (self.name, self.role, self.shape, self.dtype, self.bytes, self.sha256) = (name, role, shape, dtype, bytes, sha256)
        }
    }

    /// How the images were fitted to the size (`dataset resize` with the same flags gives the same pixels).
    public var resize: ResizeSpec {
        get { preparation.resize }
        set { preparation.resize = newValue }
    }

    /// What the trainer applies to uint8 pixels, or what was applied to float32 ones.
    public var normalization: Normalization {
        get { preparation.normalization }
        set { preparation.normalization = newValue }
    }

    /// Every file the manifest lists, in order.
    public var fileNames: [String] { splits.flatMap { $0.shards.flatMap { $0.files.map(\.name) } } }

    /// The JSON text (sorted keys, indented, ending in a newline).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain values cannot fail.
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    /// Reads `manifest.json` and checks its fields (`check(path:)`): what a reader gets can be
    /// indexed and its file names are plain names beside it. A field that is missing or of the
    /// wrong type is a `ManifestFieldError` naming it too.
    public init(path: String) throws {
        let bytes = try FileIO.read(path)
        do { self = try JSONDecoder().decode(Manifest.self, from: Data(bytes)) } catch let error as DecodingError {
            throw ManifestFieldError(path: path, decoding: error)
        }
        try check(path: path)
    }

    public init(format: ShardFormat, classes: [String], labels: LabelKind, image: ImageLayout, preparation: ImagePreparation,
                statistics: PixelStatistics, shuffleSeed: UInt64?, splits: [Split]) {
        self.format = format
        self.classes = classes
        self.labels = labels
        self.image = image
        self.preparation = preparation
        self.statistics = statistics
        self.shuffleSeed = shuffleSeed
        self.splits = splits
    }
}
