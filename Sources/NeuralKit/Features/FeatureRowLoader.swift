import DatasetKit
import Foundation

/// A row made ready for the network: RGB pixels of the input size (normalised while batching),
/// or float32 values a pack already normalised (NHWC), with the row's label.
struct LoadedRow: Sendable {
    enum Values: Sendable {
        case pixels([UInt8])
        case floats([Float])
    }

    var values: Values
    var label: PackLabel
}

/// Why a row could not be loaded. A bad image file fails its row only; a damaged shard
/// (`fatal`) stops the run, since the rows after it cannot be placed.
struct RowFailure: Error, Sendable {
    var reason: String
    var fatal = false
}

/// Loads the rows of one split of a `FeatureSource`, from any thread: image files decoded and
/// resized by the preparation, npy rows copied from the memory-mapped shards, WebDataset
/// samples read from the tars in order (`WebDatasetCursor`) and decoded.
final class FeatureRowLoader: Sendable {
    private enum Reader: Sendable {
        case files(root: String)
        case npy([NPYReader], float: Bool)
        case webdataset(WebDatasetCursor)
    }

    private let rows: [FeatureSource.Row]
    private let reader: Reader
    private let preparation: ImagePreparation
    private let size: PixelSize
    private let limits: InputLimits

    /// The loader of split `split`; `wanted` lists the rows that will be asked for, in order
    /// (WebDataset samples of other rows are read past, not kept).
    init(source: FeatureSource, split: Int, preparation: ImagePreparation, size: PixelSize, limits: InputLimits, wanted: [Int]) throws {
        rows = source.splits[split].rows
        self.preparation = preparation
        self.size = size
        self.limits = limits
        switch source.kind {
        case .folder:
            reader = .files(root: source.path)
        case .npy:
            let manifest = source.manifest!
            let float = manifest.image.dtype == NPYDType.float32.name
            let shards = manifest.splits.first { $0.name == source.splits[split].name }!.shards
            reader = .npy(try shards.map { shard in
                let name = shard.files.first { $0.role == "images" }!.name
                let images = try NPYReader(path: source.path + "/" + name)
                let wantedShape = [shard.rows, manifest.image.height, manifest.image.width, 3]
                guard images.dtype == (float ? .float32 : .uint8), images.shape == wantedShape else {
                    throw FeatureError.source(images.path, "holds \(images.dtype.name) \(images.shape); the manifest says \(manifest.image.dtype) \(wantedShape)")
                }
                return images
            }, float: float)
        case .webdataset:
            let manifest = source.manifest!
            let shards = manifest.splits.first { $0.name == source.splits[split].name }!.shards
            let tars = shards.map { (path: source.path + "/" + $0.files.first { $0.role == "samples" }!.name, rows: $0.rows) }
            reader = .webdataset(WebDatasetCursor(tars: tars, classes: source.classes.count, multiHot: source.multiLabel,
                                                  wanted: Set(wanted), maxImageBytes: limits.maxFileBytes))
        }
    }

    /// Row `index` of the split, ready for the network.
    func load(_ index: Int) -> Result<LoadedRow, RowFailure> {
        let row = rows[index]
        switch reader {
        case .files(let root):
            do {
                let decoded = try preparation.prepare(try FileIO.readImage(root + "/" + row.source, limits: limits), limits: limits)
                return checked(decoded.image, label: row.label!)
            } catch {
                guard case .failed(let reason) = ItemOutcome.failure(error) else { return .failure(RowFailure(reason: "\(error)")) }
                return .failure(RowFailure(reason: reason))
            }
        case .npy(let readers, let float):
            let (shard, offset) = row.shardRow!
            let bytes = readers[shard].row(offset)
            if !float { return .success(LoadedRow(values: .pixels(Array(bytes)), label: row.label!)) }
            let values = (0..<(bytes.count / 4)).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            guard values.allSatisfy(\.isFinite) else { return .failure(RowFailure(reason: "holds NaN or infinity; every value must be a finite number")) }
            return .success(LoadedRow(values: .floats(values), label: row.label!))
        case .webdataset(let cursor):
            let sample: WebDatasetReader.Sample
            switch cursor.sample(index) {
            case .success(let found): sample = found
            case .failure(let failure): return .failure(failure)
            }
            let image: RGBImage
            do {
                image = try ImageDecoder.decode(sample.image, options: DecodeOptions(
                    maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes, maxJPEGScans: limits.maxJPEGScans)).image
            } catch {
                return .failure(RowFailure(reason: "sample '\(sample.key)': \(error)"))
            }
            return checked(image, label: sample.label)
        }
    }

    private func checked(_ image: RGBImage, label: PackLabel) -> Result<LoadedRow, RowFailure> {
        guard image.width == size.width, image.height == size.height else {
            return .failure(RowFailure(reason: "is \(image.width)x\(image.height), not the \(size) the network reads"))
        }
        return .success(LoadedRow(values: .pixels(image.pixels), label: label))
    }
}
