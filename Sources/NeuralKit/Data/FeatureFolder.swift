import DatasetKit

/// A folder `dataset features` wrote, opened for training: per split `<split>/features.npy`
/// (flattened in C order when it holds maps) and `labels.npy`, the classes from `classes.txt`,
/// and `features.json` saying which splits there are.
public struct FeatureFolder: Sendable {
    public let folder: String
    public let manifest: FeatureManifest
    public let classes: [String]

    /// Whether `path` is a features folder (it holds `features.json`, or only the records of
    /// `--shard` workers, which `init` then explains).
    public static func isFeatureFolder(_ path: String) -> Bool {
        FileIO.exists(path + "/" + FeatureManifest.fileName) || FeatureMerger.hasParts(in: [path])
    }

    public init(folder: String) throws {
        let path = folder + "/" + FeatureManifest.fileName
        guard FileIO.exists(path) else {
            throw DataError.missing("\(folder) holds the outputs of `features --shard` workers but no \(FeatureManifest.fileName): "
                                    + "run `dataset merge-manifests \(folder)` first")
        }
        manifest = try FeatureManifest(path: path)
        let classesPath = folder + "/" + NanonetsLayout.classesFile
        classes = FileIO.exists(classesPath) ? try ClassList.read(path: classesPath) : manifest.classes
        guard classes.count == manifest.classes.count else {
            throw DataError.mismatch("\(classesPath) lists \(classes.count) classes; \(path) says \(manifest.classes.count)")
        }
        self.folder = folder
    }

    public var splitNames: [String] { manifest.splits.map(\.name) }

    /// The examples of `split` and their description.
    public func examples(split name: String) throws -> (ExampleSet, DatasetDescription) {
        guard let split = manifest.splits.first(where: { $0.name == name }) else {
            throw DataError.missing("\(folder) has no split '\(name)' (it has \(splitNames.joined(separator: ", ")))")
        }
        let file = { (role: String) in folder + "/" + split.files.first { $0.role == role }!.name }
        return try FeatureDataset.load(features: file("features"), labels: file("labels"), classes: classes)
    }
}
