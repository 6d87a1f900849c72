import DatasetKit
import Foundation
import Testing
@testable import NeuralKit
import TestSupport

/// `FeatureExtraction` on small image trees made here: rows equal a direct forward pass of the
/// same prepared images, in the source's order, with the last short batch.
@Suite struct FeatureExtractionTests {
    /// A PNG of `width`x`height` whose pixels depend on `seed` (each image distinct).
    static func picture(_ seed: Int, width: Int = 40, height: Int = 30) -> [UInt8] {
        var generator = SeededGenerator(seed: UInt64(seed) + 11)
        let tint = [UInt8(seed * 37 % 256), UInt8(seed * 91 % 256), UInt8(seed * 53 % 256)]
        let pixels = (0..<(width * height)).flatMap { i -> [UInt8] in
            let stripe = (i % width / 4 + seed) % 2 == 0
            return tint.map { stripe ? $0 : UInt8(generator.next() % 256) }
        }
        return try! ImageEncoder.encode(RGBImage(width: width, height: height, pixels: pixels), as: .png(compressionLevel: 1))
    }

    /// `root/train/{a: 4, b: 3}` and `root/val/{a, b: 1 each}`; returns the train files in source order.
    @discardableResult
    static func tree(_ root: String) throws -> [String] {
        var seed = 0, paths: [String] = []
        for (split, counts) in [("train", [("a", 4), ("b", 3)]), ("val", [("a", 1), ("b", 1)])] {
            for (label, count) in counts {
                try FileIO.createDirectories(root + "/\(split)/\(label)")
                for i in 0..<count {
                    let path = "\(split)/\(label)/\(i).png"
                    try FileIO.writeAtomically(picture(seed), to: root + "/" + path)
                    if split == "train" { paths.append(path) }
                    seed += 1
                }
            }
        }
        return paths
    }

    @Test func rowsEqualADirectForwardOfTheSamePreparedImages() throws {
        let folder = TemporaryFolder()
        let trainFiles = try Self.tree(folder.path + "/src")
        let source = try FeatureSource.open(folder.path + "/src")
        #expect(source.kind == .folder && source.splits.map(\.name) == ["train", "val"])
        // Batches of 4 over 7 rows: the last one is short.
        let extraction = FeatureExtraction(backbone: .mobilenetV2, pooling: .avg, size: 32, batchSize: 4)
        let plan = try extraction.plan(for: source)
        #expect(plan.preparation.normalization == .tf && plan.preparation.resize.mode == .stretch && plan.height == 32)
        let engine = try ComputeEngine(threads: 2)
        let (network, loaded) = try extraction.network(plan: plan, engine: engine, weightsPath: nil)
        #expect(loaded == nil)
        let report = try extraction.run(source: source, plan: plan, network: network, weights: nil, to: folder.path + "/out", jobs: 2)
        #expect(report.summary.done == 9 && report.summary.failed == 0)
        let features = try NPYReader(path: folder.path + "/out/train/features.npy")
        #expect(features.shape == [7, 1280] && features.dtype == .float32)
        #expect(try NPYReader(path: folder.path + "/out/train/labels.npy").int64Values() == [0, 0, 0, 0, 1, 1, 1])
        let files = String(decoding: try FileIO.read(folder.path + "/out/train/files.txt"), as: UTF8.self)
        #expect(files == trainFiles.map { $0 + "\n" }.joined())

        // The same images, prepared and normalised here, in one batch of 7 through a network
        // with the same (seeded) weights.
        let direct = try Network(spec: try Backbone.mobilenetV2.spec(height: 32, width: 32, includeTop: false, pooling: .avg), batchSize: 7,
                                 training: false, engine: engine, classifier: false)
        let table = (0..<3).map { c in (0..<256).map { Normalization.tf.apply(UInt8($0), channel: c) } }
        for (b, path) in trainFiles.enumerated() {
            let image = try plan.preparation.prepare(try FileIO.read(folder.path + "/src/" + path)).image
            #expect(image.width == 32 && image.height == 32)
            for p in 0..<(32 * 32) {
                for c in 0..<3 {
                    let value = table[c][Int(image.pixels[p * 3 + c])]
                    if direct.inputLayout == .nchw {
                        direct.input.floats[(b * 3 + c) * 1024 + p] = value
                    } else {
                        direct.input.floats[(b * 1024 + p) * 3 + c] = value
                    }
                }
            }
        }
        try direct.forward(training: false)
        let expected = Array(UnsafeBufferPointer(start: direct.output.floats, count: 7 * 1280))
        let written = features.float32Values()
        let scale = expected.map(abs).max()!
        #expect(scale > 0)
        let worst = zip(expected, written).map { abs($0 - $1) }.max()!
        #expect(worst <= scale * 1e-5, "largest difference \(worst) of values up to \(scale)")
        // Rows are distinct, so a reordering could not hide in the tolerance.
        let rows = (0..<7).map { Array(written[($0 * 1280)..<(($0 + 1) * 1280)]) }
        for i in 0..<7 { for j in (i + 1)..<7 { #expect(zip(rows[i], rows[j]).map { abs($0 - $1) }.max()! > scale * 1e-3) } }

        let manifest = try FeatureManifest(path: folder.path + "/out/features.json")
        #expect(manifest == report.manifest)
        #expect(manifest.splits.map(\.count) == [7, 2] && manifest.featureShape == [1280] && manifest.weights == nil)
        #expect(manifest.splits[0].files.first { $0.role == "features" }?.sha256 == (try FileDigest.compute(.sha256, ofFile: features.path)))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/.features-work"))
    }

    @Test func featureMapsAreWrittenNHWC() throws {
        let folder = TemporaryFolder()
        try Self.tree(folder.path + "/src")
        let source = try FeatureSource.open(folder.path + "/src")
        let extraction = FeatureExtraction(backbone: .vgg16, pooling: .none, size: 64, batchSize: 3)
        let plan = try extraction.plan(for: source)
        let (network, _) = try extraction.network(plan: plan, engine: try ComputeEngine(threads: 2), weightsPath: nil)
        #expect(FeatureExtraction.featureShape(network) == [2, 2, 512])
        let report = try extraction.run(source: source, plan: plan, network: network, weights: nil, to: folder.path + "/out", jobs: 1)
        #expect(try NPYReader(path: folder.path + "/out/val/features.npy").shape == [2, 2, 2, 512])
        #expect(report.manifest.splits[1].files[0].shape == [2, 2, 2, 512])
        // Flattened on load, as Keras' Flatten reads an NHWC map.
        let (examples, description) = try FeatureFolder(folder: folder.path + "/out").examples(split: "train")
        #expect(description.input == .features(2048) && examples.count == 7 && description.classes == ["a", "b"])
    }

    @Test func aWeightFileOfAnotherNetworkIsRefusedNamingIt() throws {
        let folder = TemporaryFolder()
        try Self.tree(folder.path + "/src")
        let path = folder.path + "/not-mobilenet.h5"
        KerasH5Writer.writeLegacy(path, KerasLegacyWeightFileTests.layers, generation: .keras2)
        let extraction = FeatureExtraction(backbone: .mobilenetV2, size: 32, batchSize: 2)
        let plan = try extraction.plan(for: try FeatureSource.open(folder.path + "/src"))
        do {
            _ = try extraction.network(plan: plan, engine: try ComputeEngine(threads: 1), weightsPath: path)
            Issue.record("a weight file of another network was loaded")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("mobilenet_v2"), "\(error)")
        }
    }

    @Test func shardsThatCannotFeedTheBackboneAreRefusedSayingWhatToDo() throws {
        let folder = TemporaryFolder()
        try Self.tree(folder.path + "/src")
        let preparation = ImagePreparation(resize: ResizeSpec(size: PixelSize(width: 48, height: 48)), normalization: .torch)
        let input = try PackInput.read(root: folder.path + "/src")
        _ = try PackJob(preparation: preparation, dtype: .float32).run(input, to: folder.path + "/f32", jobs: 1)
        _ = try PackJob(preparation: preparation).run(input, to: folder.path + "/u8", jobs: 1)
        /// The message of the error `body` throws; nil when it throws none.
        func refusal(_ body: () throws -> Any) -> String? {
            do { _ = try body() } catch { return "\(error)" }
            return nil
        }
        let float = try FeatureSource.open(folder.path + "/f32")
        #expect(float.kind == .npy)
        let normalised = refusal { try FeatureExtraction(backbone: .vgg16).plan(for: float) }
        #expect(normalised?.contains("--normalize caffe") == true, "\(normalised ?? "accepted")")
        // Float32 values normalised as the backbone wants are used as they are.
        var caffe = preparation
        caffe.normalization = .caffe
        _ = try PackJob(preparation: caffe, dtype: .float32).run(input, to: folder.path + "/f32caffe", jobs: 1)
        #expect(try FeatureExtraction(backbone: .vgg16).plan(for: try FeatureSource.open(folder.path + "/f32caffe")).notes.isEmpty)
        let uint8 = try FeatureSource.open(folder.path + "/u8")
        // uint8 pixels take the backbone's normalisation whatever the pack recorded.
        let plan = try FeatureExtraction(backbone: .vgg16).plan(for: uint8)
        #expect(plan.height == 48 && plan.preparation.normalization == .caffe && !plan.notes.isEmpty)
        let resized = refusal { try FeatureExtraction(backbone: .vgg16, size: 64).plan(for: uint8) }
        #expect(resized?.contains("--size 64") == true, "\(resized ?? "accepted")")
        let small = refusal { try FeatureExtraction(backbone: .inceptionV3).plan(for: uint8) }
        #expect(small?.contains("--size 299") == true, "\(small ?? "accepted")")
    }
}
