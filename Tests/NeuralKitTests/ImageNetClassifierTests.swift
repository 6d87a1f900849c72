import DatasetKit
import Foundation
import Testing
import TestSupport
@testable import NeuralKit

/// `ImageNetClassifier`: a with-top Keras file, photos prepared as Keras' tutorials prepare
/// them, and `decode_predictions`' ranking.
@Suite struct ImageNetClassifierTests {
    /// A with-top MobileNetV2 file with random weights (Keras 2 naming), or without the top.
    static func writeMobileNetV2(_ path: String, includeTop: Bool = true, seed: UInt64 = 11) {
        let table = KerasWeightTable.mobileNetV2
        let entries = includeTop ? Array(table.entries) : Array(table.notopEntries)
        let model = entries.map { KerasRandomWeights.ModelLayer(name: $0.name, kerasClass: $0.kerasClass, shapes: $0.shapes) }
        KerasH5Writer.writeLegacy(path, KerasRandomWeights.layers(model, generation: .keras2, seed: seed), generation: .keras2)
    }

    /// A smooth colour picture of `width` x `height`, different per `seed`.
    static func picture(width: Int, height: Int, seed: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height { for x in 0..<width { for c in 0..<3 {
            pixels[(y * width + x) * 3 + c] = UInt8(truncatingIfNeeded: x * (c + 1) * 3 + y * (3 - c) * 2 + seed * 40)
        } } }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// The probabilities equal a forward pass of the same weights on inputs normalised here by
    /// hand (`x / 127.5 - 1`, MobileNetV2's `preprocess_input`), image by image, with a last
    /// batch that is not full.
    @Test func probabilitiesAreTheSoftmaxOfTheNetworkOnKerasInputs() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/mobilenet_v2.h5"
        Self.writeMobileNetV2(path)
        let classifier = try ImageNetClassifier(backbone: .mobilenetV2, weightsPath: path, batchSize: 2, threads: 2)
        #expect(classifier.loaded.layers == KerasWeightTable.mobileNetV2.entries.count)
        #expect(classifier.preparation.resize == ResizeSpec(size: PixelSize(width: 224, height: 224), mode: .stretch, filter: .nearest))
        #expect(classifier.preparation.normalization == .tf)
        #expect(classifier.preparation.applyOrientation)

        let images = try (0..<3).map { seed in
            try classifier.prepare(try ImageEncoder.encode(Self.picture(width: 60 + 10 * seed, height: 45, seed: seed), as: .png(compressionLevel: 1)))
        }
        #expect(images.allSatisfy { $0.count == 224 * 224 * 3 })
        let probabilities = try classifier.probabilities(images: images)

        let reference = try Network(spec: try Backbone.mobilenetV2.spec(includeTop: true), batchSize: 1, training: false,
                                    engine: try ComputeEngine(threads: 2), classifier: true, initializeWeights: false)
        _ = try KerasWeightLoading.load(try KerasWeightFile(path: path), backbone: .mobilenetV2, into: reference)
        for (image, computed) in zip(images, probabilities) {
            let input = reference.input.floats
            for y in 0..<224 { for x in 0..<224 { for c in 0..<3 {
                let value = Float(image[(y * 224 + x) * 3 + c]) / 127.5 - 1
                switch reference.inputLayout {
                case .nchw: input[(c * 224 + y) * 224 + x] = value
                default: input[(y * 224 + x) * 3 + c] = value
                }
            } } }
            try reference.forward(training: false)
            let expected = SoftmaxCrossEntropy.probabilities(UnsafeBufferPointer(start: reference.output.floats, count: 1000))
            let got = try #require(computed)
            #expect(got.count == 1000)
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "largest difference \(worst)")
            #expect(abs(got.reduce(0, +) - 1) < 1e-9)
        }
        // Different pictures, different answers: the inputs reached the network.
        #expect(probabilities[0] != probabilities[1])
    }

    @Test func decodeRanksAsKerasDecodePredictions() {
        var probabilities = [Double](repeating: 0, count: 1000)
        probabilities[281] = 0.5
        probabilities[7] = 0.2
        probabilities[999] = 0.2
        probabilities[3] = 0.1
        let top = ImageNetClassifier.decode(probabilities, top: 5)
        #expect(top == [
            ImageNetPrediction(wnid: "n02123045", label: "tabby", probability: 0.5),
            ImageNetPrediction(wnid: ImageNetClasses.all[7].wnid, label: ImageNetClasses.all[7].name, probability: 0.2),
            ImageNetPrediction(wnid: "n15075141", label: "toilet_tissue", probability: 0.2),
            ImageNetPrediction(wnid: "n01491361", label: "tiger_shark", probability: 0.1),
            ImageNetPrediction(wnid: "n01440764", label: "tench", probability: 0),
        ])
        #expect(ImageNetClassifier.decode(probabilities, top: 1).map(\.label) == ["tabby"])
    }

    /// The notop file, in either layout, is refused before any building, with the file to use.
    @Test func aFileWithoutTheClassifierNamesTheOneWithIt() throws {
        let folder = TemporaryFolder()
        let legacy = folder.path + "/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"
        Self.writeMobileNetV2(legacy, includeTop: false)
        let model = KerasWeightTable.mobileNetV2.notopEntries.map {
            KerasRandomWeights.ModelLayer(name: $0.name, kerasClass: $0.kerasClass, shapes: $0.shapes)
        }
        let weightsH5 = folder.path + "/notop.weights.h5"
        KerasH5Writer.writeWeightsH5(weightsH5, KerasRandomWeights.savedObjects(KerasRandomWeights.layers(model, generation: .keras3, seed: 3),
                                                                                classes: model.map(\.kerasClass)))
        for path in [legacy, weightsH5] {
            let error = #expect(throws: WeightFileError.self) {
                try ImageNetClassifier(backbone: .mobilenetV2, weightsPath: path, threads: 1)
            }
            #expect(error?.path == path)
            #expect(error?.reason.contains("this is the file without the classifier") == true, "\(error?.description ?? "")")
            #expect(error?.reason.contains("predict needs mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5") == true)
        }
    }
}
