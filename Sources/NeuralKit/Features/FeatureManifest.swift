import DatasetKit
import Foundation

/// `features.json`: how a folder of bottleneck features was made and what it holds, so a top
/// model trained on them can be traced to the exact backbone, weights, pixels and rows.
///
/// ```json
/// {"formatVersion": 1, "backbone": "vgg16", "pooling": "avg",
///  "input": {"height": 224, "width": 224, "channels": 3}, "featureShape": [512],
///  "weights": {"path": "/root/.keras/models/vgg16_..._notop.h5", "sha256": "..."},
///  "preparation": {... decode settings, resize, normalisation: the backbone's ...},
///  "source": {"kind": "npy", "path": "shards", "manifestSHA256": "..."},
///  "classes": ["cat", "dog"], "labels": "class", "batchSize": 32,
///  "splits": [{"name": "train", "count": 2000, "failed": 0, "files": [
///     {"name": "train/features.npy", "role": "features", "shape": [2000, 512], "dtype": "float32",
///      "bytes": 4096128, "sha256": "..."}, ...]}]}
/// ```
public struct FeatureManifest: Sendable, Equatable, Codable {
    public static let fileName = "features.json"
    public static let currentFormatVersion = 1

    public var formatVersion = FeatureManifest.currentFormatVersion
    public var backbone: Backbone
    public var pooling: Backbone.Pooling
    public var input: Input
    /// The shape of one row of `features.npy`: `[channels]` with pooling, `[h, w, channels]` without.
    public var featureShape: [Int]
    /// The weight file the backbone ran with; nil for `--weights none` (Keras' initialisers, seed 0).
    public var weights: Weights?
    /// Decode settings, resize (or the pack's) and the backbone's normalisation: how every image
    /// became the network's input.
    public var preparation: ImagePreparation
    public var source: Source
    public var classes: [String]
    public var labels: Manifest.LabelKind
    public var batchSize: Int
    public var splits: [Split]
    /// Set in the record of one `--shard I/N` worker (`features.wIofN.json`).
    public var part: WorkShard?

    public struct Input: Sendable, Equatable, Codable {
        public var height: Int
        public var width: Int
        public var channels: Int

        public init(height: Int, width: Int, channels: Int) {
            self.height = height
            self.width = width
            self.channels = channels
        }
    }

    public struct Weights: Sendable, Equatable, Codable {
        public var path: String
        public var sha256: String

        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public struct Source: Sendable, Equatable, Codable {
        public var kind: FeatureSource.Kind
        public var path: String
        /// The SHA-256 of the pack's `manifest.json` (shards only).
        public var manifestSHA256: String?
    }

    public struct Split: Sendable, Equatable, Codable {
        public var name: String
        /// Rows written.
        public var count: Int
        /// Images that could not be read (listed in the run's report).
        public var failed: Int
        public var files: [File]
    }

    /// A file's record, as `manifest.json` keeps its shards' (`name` relative to the features
    /// folder, e.g. `train/features.npy`; `role` `features`, `labels`, `files`, or `rows`: a
    /// worker's row numbers in the whole run, for the merge).
    public typealias File = Manifest.File

    /// The settings features depend on, without what a run produced: two runs with equal
    /// settings write the same numbers.
    public var settings: [String: String] {
        func text<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
        return ["backbone": backbone.rawValue, "pooling": pooling.rawValue, "input": text(input),
                "weights": weights?.sha256 ?? "none", "preparation": text(preparation),
                "source": text(Source(kind: source.kind, path: "", manifestSHA256: source.manifestSHA256)),
                "classes": text(classes), "labels": labels.rawValue, "batchSize": String(batchSize)]
    }

    /// The first setting in which `other` differs, with both values; nil when they make the same features.
    public func settingsDifference(_ other: FeatureManifest) -> (field: String, this: String, other: String)? {
        let (mine, theirs) = (settings, other.settings)
        return mine.keys.sorted().first { mine[$0] != theirs[$0] }.map { ($0, mine[$0]!, theirs[$0]!) }
    }

    /// The JSON text (sorted keys, indented, ending in a newline).
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    /// Reads and checks a `features.json` (or a worker's record): every name it lists is one
    /// the run writes, every count and shape fits.
    public init(path: String) throws(FeatureError) {
        // A record of a million splits is still a few MB; anything far larger is not one.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue > 64 << 20 {
            throw .part(path, "holds \(size) bytes: not a features.json")
        }
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw .part(path, error.reason) }
        do { self = try JSONDecoder().decode(FeatureManifest.self, from: Data(bytes)) } catch let error as DecodingError {
            let field = ManifestFieldError(path: path, decoding: error)
            throw .part(path, "not a features.json: \(field.field) \(field.reason)")
        } catch {
            throw .part(path, "not a features.json: \(error)")
        }
        try check(path: path)
    }

    public init(backbone: Backbone, pooling: Backbone.Pooling, input: Input, featureShape: [Int], weights: Weights?,
                preparation: ImagePreparation, source: Source, classes: [String], labels: Manifest.LabelKind,
                batchSize: Int, splits: [Split], part: WorkShard?) {
        self.backbone = backbone
        self.pooling = pooling
        self.input = input
        self.featureShape = featureShape
        self.weights = weights
        self.preparation = preparation
        self.source = source
        self.classes = classes
        self.labels = labels
        self.batchSize = batchSize
        self.splits = splits
        self.part = part
    }

    /// The names of the files of `split` a run (or worker `part`) writes, by role.
    public static func fileNames(split: String, part: WorkShard?) -> [(role: String, name: String)] {
        let roles = [("features", "features.npy"), ("labels", "labels.npy"), ("files", "files.txt")] + (part == nil ? [] : [("rows", "rows.npy")])
        return roles.map { role, file in (role, split + "/" + (part.map { $0.partName(file) } ?? file)) }
    }

    /// Checks what a reader sizes or opens by.
    public func check(path: String) throws(FeatureError) {
        func fail(_ field: String, _ reason: String) -> FeatureError { .part(path, "\(field): \(reason)") }
        guard formatVersion == FeatureManifest.currentFormatVersion else {
            throw fail("formatVersion", "\(formatVersion) is not a version this dataset reads (\(FeatureManifest.currentFormatVersion))")
        }
        guard input.channels == 3, (1...ModelLimits.maxSide).contains(input.height), (1...ModelLimits.maxSide).contains(input.width) else {
            throw fail("input", "\(input.height)x\(input.width)x\(input.channels) is not an input size")
        }
        guard [1, 3].contains(featureShape.count), featureShape.allSatisfy({ $0 > 0 }),
              let values = CheckedSize.product(featureShape), values <= ModelLimits.maxFeatures else {
            throw fail("featureShape", "\(featureShape) is not the shape of a feature row")
        }
        guard !classes.isEmpty, classes.count <= ModelLimits.maxWidth else { throw fail("classes", "\(classes.count) classes") }
        guard (1...65536).contains(batchSize) else { throw fail("batchSize", "\(batchSize) is not 1-65536") }
        var names = Set<String>()
        for (s, split) in splits.enumerated() {
            let at = "splits[\(s)]"
            if let reason = PlainName.problem(split.name) { throw fail(at + ".name", "'\(printableName(split.name))' \(reason)") }
            guard names.insert(split.name).inserted else { throw fail(at + ".name", "'\(split.name)' is listed twice") }
            guard split.count >= 0, split.failed >= 0 else { throw fail(at, "negative counts") }
            let expected = Self.fileNames(split: split.name, part: part)
            guard split.files.map(\.role) == expected.map(\.role), split.files.map(\.name) == expected.map(\.name) else {
                throw fail(at + ".files", "lists \(split.files.map(\.name)), not the files a run writes (\(expected.map(\.name)))")
            }
            for (f, file) in split.files.enumerated() where file.bytes < 0 || file.sha256.count != 64 {
                throw fail(at + ".files[\(f)]", "bytes or sha256 is not what a run records")
            }
        }
    }
}
