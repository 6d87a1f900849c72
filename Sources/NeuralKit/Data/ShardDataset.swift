import DatasetKit

/// A folder of `.npy` shards and the `manifest.json` that `dataset pack` wrote, opened for
/// training: each split's images are memory-mapped, its labels read.
public struct ShardDataset: Sendable {
    public let folder: String
    public let manifest: Manifest

    public init(folder: String) throws {
        let path = folder + "/" + Manifest.fileName
        guard FileIO.exists(path) else {
            throw DataError.missing("\(folder) holds no \(Manifest.fileName): pass a folder written by `dataset pack`")
        }
        // Read with every field checked (channels, sizes, preparation: `Manifest.check`).
        let manifest: Manifest
        do { manifest = try Manifest(path: path) } catch let error as ManifestFieldError {
            throw DataError.mismatch(error.description)  // names the file already
        } catch { throw DataError.mismatch("\(path): \(error)") }
        guard manifest.format == .npy else {
            throw DataError.unsupported("\(folder) holds \(manifest.format.rawValue) shards; the trainer reads npy shards (pack --format npy)")
        }
        guard manifest.image.height <= ModelLimits.maxSide, manifest.image.width <= ModelLimits.maxSide else {
            throw DataError.unsupported("\(path): images of \(manifest.image.height)x\(manifest.image.width); models read at most \(ModelLimits.maxSide) pixels a side")
        }
        guard !manifest.classes.isEmpty else { throw DataError.mismatch("\(path): classes is empty") }
        self.folder = folder
        self.manifest = manifest
    }

    public var splitNames: [String] { manifest.splits.map(\.name) }

    public var description: DatasetDescription {
        DatasetDescription(classes: manifest.classes, multiLabel: manifest.labels == .multiHot,
                           input: .image(height: manifest.image.height, width: manifest.image.width, channels: manifest.image.channels),
                           element: NPYDType(name: manifest.image.dtype) ?? .uint8, preparation: manifest.preparation)
    }

    /// The examples of `split`.
    public func examples(split name: String) throws -> ExampleSet {
        guard let split = manifest.splits.first(where: { $0.name == name }) else {
            throw DataError.missing("\(folder) has no split '\(name)' (it has \(splitNames.joined(separator: ", ")))")
        }
        let info = description
        var readers: [NPYReader] = []
        var classLabels: [Int] = [], multiHot: [UInt8] = []
        let classCount = manifest.classes.count
        for shard in split.shards {
            guard let images = shard.files.first(where: { $0.role == "images" }),
                  let labels = shard.files.first(where: { $0.role == "labels" }) else {
                throw DataError.missing("\(folder): a shard of split '\(name)' lists no images or labels file")
            }
            let imageReader = try NPYReader(path: folder + "/" + images.name)
            guard imageReader.dtype == info.element, Array(imageReader.shape.dropFirst()) == [manifest.image.height, manifest.image.width, 3] else {
                throw DataError.mismatch("\(images.name) holds \(imageReader.dtype.name) \(imageReader.shape), the manifest says \(manifest.image.dtype) of \(manifest.image.height)x\(manifest.image.width)x3")
            }
            if let row = imageReader.firstNonFiniteRow() {
                throw DataError.mismatch("\(folder)/\(images.name): row \(row) holds NaN or infinity; every value must be a finite number")
            }
            let labelReader = try NPYReader(path: folder + "/" + labels.name)
            guard labelReader.rowCount == imageReader.rowCount else {
                throw DataError.mismatch("\(labels.name) has \(labelReader.rowCount) rows, \(images.name) \(imageReader.rowCount)")
            }
            if info.multiLabel {
                guard labelReader.dtype == .uint8, labelReader.shape.dropFirst().first == classCount else {
                    throw DataError.mismatch("\(labels.name): multi-hot labels must be uint8 (N, \(classCount)), not \(labelReader.dtype.name) \(labelReader.shape)")
                }
                multiHot += labelReader.uint8Values()
            } else {
                guard labelReader.dtype == .int64, labelReader.shape.count == 1 else {
                    throw DataError.mismatch("\(labels.name): class labels must be int64 (N,), not \(labelReader.dtype.name) \(labelReader.shape)")
                }
                let values = labelReader.int64Values().map(Int.init)
                if let bad = values.first(where: { !(0..<classCount).contains($0) }) {
                    throw DataError.mismatch("\(labels.name): label \(bad) is outside the \(classCount) classes")
                }
                classLabels += values
            }
            readers.append(imageReader)
        }
        guard !readers.isEmpty else { throw DataError.missing("\(folder): split '\(name)' has no shards") }
        return try ExampleSet(input: info.input, element: info.element, rows: try ShardRows(readers),
                              labels: info.multiLabel ? .multiHot(multiHot, classes: classCount) : .classes(classLabels))
    }
}

extension NPYDType {
    /// The dtype numpy calls `name` (`uint8`, `int64`, `float32`).
    init?(name: String) {
        guard let match = NPYDType.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
