import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

@Suite struct DataTests {
    @Test func transformsMirrorAndShiftWithEdgesRepeated() {
        let flip = ExampleTransform(flip: true, dx: 0, dy: 0)
        #expect((0..<4).map { flip.sourceX($0, width: 4) } == [3, 2, 1, 0])
        let shift = ExampleTransform(flip: false, dx: 2, dy: -1)
        #expect((0..<4).map { shift.sourceX($0, width: 4) } == [0, 0, 0, 1])
        #expect((0..<3).map { shift.sourceY($0, height: 3) } == [1, 2, 2])
        #expect(ExampleTransform().isIdentity)
    }

    @Test func augmentationDependsOnSeedEpochAndRowOnly() {
        let augmentation = Augmentation(flip: true, shift: 0.25)
        let a = (0..<50).map { augmentation.transform(seed: 1, epoch: 0, row: $0, height: 8, width: 8) }
        #expect(a == (0..<50).map { augmentation.transform(seed: 1, epoch: 0, row: $0, height: 8, width: 8) })
        #expect(a != (0..<50).map { augmentation.transform(seed: 1, epoch: 1, row: $0, height: 8, width: 8) })
        #expect(a.contains { $0.flip } && a.contains { !$0.flip })
        #expect(a.allSatisfy { abs($0.dx) <= 2 && abs($0.dy) <= 2 } && a.contains { $0.dx != 0 })
        #expect(Augmentation().transform(seed: 1, epoch: 3, row: 5, height: 8, width: 8).isIdentity)
    }

    /// One 2x3 image whose pixel (x, y, c) holds 100·c + 10·y + x.
    static func gradientImage() throws -> ExampleSet {
        var bytes: [UInt8] = []
        for y in 0..<2 { for x in 0..<3 { for c in 0..<3 { bytes.append(UInt8(100 * c + 10 * y + x)) } } }
        return try ExampleSet(input: .image(height: 2, width: 3, channels: 3), element: .uint8, rows: ArrayRows(bytes, rowByteCount: 18),
                              labels: .classes([0]))
    }

    @Test func batchesAreNormalisedInTheFirstLayersLayoutAndPaddedWithZeros() throws {
        let set = try Self.gradientImage()
        let engine = try ComputeEngine(threads: 1)
        let normalization = Normalization(kind: .dataset, scale: 1, mean: [1, 2, 3], std: [2, 2, 2])
        for first in [LayerSpec.conv2d(filters: 2, kernel: 1, stride: 1, padding: .valid, activation: nil), .flatten] {
            let spec = ModelSpec(name: "t", input: set.input, layers: [first, .flatten, .dense(units: 2, activation: nil)], head: .softmax)
            let network = try Network(spec: spec, batchSize: 2, training: false, engine: engine)
            _ = BatchAssembler(examples: set, normalization: normalization).fill(network, positions: [0], epoch: 0)
            let planar = network.inputLayout == .nchw
            for y in 0..<2 {
                for x in 0..<3 {
                    for c in 0..<3 {
                        let index = planar ? c * 6 + y * 3 + x : (y * 3 + x) * 3 + c
                        #expect(network.input.floats[index] == Float((Double(100 * c + 10 * y + x) - Double(c + 1)) / 2))
                    }
                }
            }
            #expect(network.input.buffer[18...].allSatisfy { $0 == 0 }, "the second row is padding")
        }
    }

    @Test func flippedBatchIsTheMirrorImage() throws {
        let set = try Self.gradientImage()
        let spec = ModelSpec(name: "t", input: set.input, layers: [.flatten, .dense(units: 2, activation: nil)], head: .softmax)
        let network = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1))
        let augmentation = Augmentation(flip: true)
        let epoch = (0..<20).first { augmentation.transform(seed: 4, epoch: $0, row: 0, height: 2, width: 3).flip }!
        _ = BatchAssembler(examples: set, normalization: .none, augmentation: augmentation, seed: 4).fill(network, positions: [0], epoch: epoch)
        #expect(Array(network.input.buffer.prefix(3)) == [2, 102, 202], "pixel (0, 0) now shows (2, 0)")
    }

    /// `caffe` (VGG16, ResNet50): the network reads B, G, R, minus the ImageNet mean, unscaled.
    @Test func caffeBatchesReadTheChannelsAsBGR() throws {
        let set = try Self.gradientImage()
        let spec = ModelSpec(name: "t", input: set.input, layers: [.flatten, .dense(units: 2, activation: nil)], head: .softmax)
        let network = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1))
        _ = BatchAssembler(examples: set, normalization: .caffe).fill(network, positions: [0], epoch: 0)
        // Pixel (0, 0) is (R, G, B) = (0, 100, 200); pixel (1, 0) is (1, 101, 201).
        let bgr: [Double] = [200, 100, 0, 201, 101, 1], mean: [Double] = [103.939, 116.779, 123.68]
        let expected = bgr.indices.map { Float(bgr[$0] - mean[$0 % 3]) }
        #expect(Array(network.input.buffer.prefix(6)) == expected)
    }

    @Test func validationSplitIsDisjointCompleteAndRepeatable() throws {
        let set = try TinyData.features(perClass: 20)
        let (train, validation) = set.split(validationFraction: 0.2, seed: 9)
        #expect(validation.count == 12 && train.count == 48)
        #expect(Set(train.indices).isDisjoint(with: validation.indices))
        #expect(Set(train.indices + validation.indices) == Set(0..<60))
        #expect(set.split(validationFraction: 0.2, seed: 9).validation.indices == validation.indices)
        #expect(set.split(validationFraction: 0.2, seed: 10).validation.indices != validation.indices)
    }

    /// A pack-like folder: two shards of a `train` split and its manifest.
    static func writeShards(_ folder: String, labels: [[Int64]], classes: [String] = ["a", "b", "c"]) throws {
        var shards: [String] = []
        for (index, shardLabels) in labels.enumerated() {
            let name = "train-0000\(index)"
            let images = try NPYWriter(path: "\(folder)/\(name).images.npy", dtype: .uint8, rowShape: [2, 2, 3], expectedRows: shardLabels.count)
            for (row, label) in shardLabels.enumerated() { try images.append([UInt8](repeating: UInt8(10 * label + Int64(row)), count: 12)) }
            _ = try images.finish()
            let labelFile = try NPYWriter(path: "\(folder)/\(name).labels.npy", dtype: .int64, rowShape: [], expectedRows: shardLabels.count)
            try labelFile.append(rows: shardLabels.withUnsafeBytes { Array($0) })
            _ = try labelFile.finish()
            shards.append(#"{"rows": \#(shardLabels.count), "files": [{"name": "\#(name).images.npy", "role": "images", "bytes": 0, "sha256": ""}, {"name": "\#(name).labels.npy", "role": "labels", "bytes": 0, "sha256": ""}]}"#)
        }
        let quoted = classes.map { "\"\($0)\"" }.joined(separator: ",")
        let manifest = #"""
            {"formatVersion": 1, "format": "npy", "classes": [\#(quoted)], "labels": "class",
             "image": {"height": 2, "width": 2, "channels": 3, "dtype": "uint8"},
             "resize": {"size": {"width": 2, "height": 2}, "mode": "stretch", "filter": "bilinear", "fill": {"red": 0, "green": 0, "blue": 0}},
             "normalization": {"kind": "rescale", "scale": 0.00392156862745098, "mean": [0, 0, 0], "std": [1, 1, 1]},
             "statistics": {"split": "train", "mean": [0, 0, 0], "std": [1, 1, 1]},
             "splits": [{"name": "train", "count": 5, "classCounts": [1, 2, 2], "mean": [0, 0, 0], "std": [1, 1, 1], "shards": [\#(shards.joined(separator: ","))]}]}
            """#
        try FileIO.writeAtomically(Array(manifest.utf8), to: folder + "/manifest.json")
    }

    @Test func shardsOfASplitReadAsOneSet() throws {
        let folder = TemporaryFolder()
        try Self.writeShards(folder.path, labels: [[0, 1, 2], [2, 1]])
        let shards = try ShardDataset(folder: folder.path)
        let set = try shards.examples(split: "train")
        #expect(set.count == 5 && set.labels == .classes([0, 1, 2, 2, 1]))
        #expect(set.rows.row(3).first == 20 && set.rows.row(4).first == 11 && set.rows.row(2).first == 22)
        #expect(shards.description.classes == ["a", "b", "c"] && shards.description.normalization == .rescale)
        #expect(throws: DataError.self) { try shards.examples(split: "test") }
    }

    @Test func labelsOutsideTheClassesAreRefused() throws {
        let folder = TemporaryFolder()
        try Self.writeShards(folder.path, labels: [[0, 3]])
        #expect(throws: DataError.self) { try ShardDataset(folder: folder.path).examples(split: "train") }
    }

    /// Without class names a features file's classes are 0...max label: a stray label of 2^40
    /// is refused rather than made into 2^40 class names.
    @Test func hugeFeatureLabelsWithoutNamesAreRefused() throws {
        let folder = TemporaryFolder()
        let (features, labels) = try NonFiniteTrainingTests.featureFiles(in: folder.path, rows: 3)
        let writer = try NPYWriter(path: labels, dtype: .int64, rowShape: [], expectedRows: 3)
        try writer.append(rows: [0, 1, 1 << 40].flatMap { (v: Int64) in withUnsafeBytes(of: v.littleEndian, Array.init) })
        _ = try writer.finish()
        let error = #expect(throws: DataError.self) { _ = try FeatureDataset.load(features: features, labels: labels, classes: nil) }
        #expect(error?.description.contains("label 1099511627776") == true)
    }

    /// Row indices are checked once, where a set is made, so batching can read rows unchecked:
    /// an index past the rows, or shards of different row sizes, are refused there.
    @Test func rowIndicesAndRowSizesAreCheckedWhenASetIsMade() throws {
        let rows = ArrayRows([UInt8](repeating: 1, count: 2 * 12), rowByteCount: 12)
        #expect(throws: DataError.self) {
            _ = try ExampleSet(input: .image(height: 2, width: 2, channels: 3), element: .uint8, rows: rows, labels: .classes([0, 1]),
                               indices: [0, 2])
        }
        let folder = TemporaryFolder()
        for (name, shape) in [("a", [2]), ("b", [3])] {
            let writer = try NPYWriter(path: "\(folder.path)/\(name).npy", dtype: .float32, rowShape: shape, expectedRows: 1)
            try writer.append(rows: [UInt8](repeating: 0, count: shape[0] * 4))
            _ = try writer.finish()
        }
        #expect(throws: DataError.self) { _ = try ShardRows([NPYReader(path: folder.path + "/a.npy"), NPYReader(path: folder.path + "/b.npy")]) }
    }
}
