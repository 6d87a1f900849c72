import DatasetKit
import Foundation
import NeuralKit
import Testing
import TestSupport

/// `train --backbone B --weights PATH --head ...`: a frozen Keras backbone (weights written here
/// with random values) under a new head; the backbone's weights come out of training exactly as
/// loaded, the model records the backbone's preprocessing, and evaluate and predict run on it.
@Suite struct TrainBackboneCommandTests {
    @Test func trainsAHeadOnAFrozenBackbone() throws {
        let s = Scratch()
        let weights = s.path + "/mobilenet_notop.h5"
        PredictBackboneCommandTests.writeMobileNetV2(weights, includeTop: false)
        #expect(try CLI.run(["sample", "folders", "--to", s.path + "/fruits", "--splits", "Training,Test", "--classes", "3",
                             "--per-class", "8", "--max-side", "64"]).status == 0)
        #expect(try CLI.run(["pack", s.path + "/fruits", "--to", s.path + "/shards", "--size", "32"]).status == 0)
        let r = try CLI.run(["train", s.path + "/shards", "--to", s.path + "/model", "--backbone", "mobilenet_v2", "--weights", weights,
                             "--head", "avg, dense 16 relu, dropout 0.2", "--epochs", "2", "--batch-size", "4", "--threads", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("104 layers loaded from \(weights) (by name)"), "\(r.stderr)")

        let document = try ModelFile.document(in: s.path + "/model")
        #expect(document.data.normalization == Backbone.mobilenetV2.normalization)
        let frozen = document.architecture.layers.filter { !$0.trainable }.count
        #expect(frozen > 100 && document.architecture.layers.suffix(4).allSatisfy(\.trainable))
        #expect(document.architecture.layers.last?.name == "classifier")

        // The backbone's tensors in the model equal the file's, bit for bit.
        let saved = try ModelFile.tensors(at: s.path + "/model/" + ModelFile.weightsName)
        let file = try KerasWeightFile(path: weights)
        for layer in file.weightedLayers {
            let names = layer.weights.count == 1 ? [".depthwise_kernel", ".kernel"] : [".kernel", ".gamma"]
            guard let first = names.lazy.compactMap({ saved[layer.name + $0] }).first else {
                Issue.record("\(layer.name) is not in the model")
                continue
            }
            #expect(first.values == (try file.values(layer.weights[0])), "\(layer.name)")
        }
        #expect(try CLI.run(["evaluate", s.path + "/model", s.path + "/shards"]).status == 0)
        let photo = s.path + "/fruits/Test/apple_pie/" + (try FileManager.default.contentsOfDirectory(atPath: s.path + "/fruits/Test/apple_pie")).sorted()[0]
        let p = try CLI.run(["predict", s.path + "/model", photo])
        #expect(p.status == 0 && p.stdout.contains("apple_pie"), "\(p.stdout) \(p.stderr)")
    }

    @Test func badBackboneFlagsAreRefused() throws {
        let s = Scratch()
        for (arguments, message) in [
            (["--backbone", "alexnet"], "--backbone must be one of"),
            (["--backbone", "vgg16", "--head", "dense ten"], "--head: 'dense ten' needs a number of units"),
            (["--backbone", "vgg16", "--weights", ""], "--weights"),
        ] {
            let r = try CLI.run(["train", s.path, "--to", s.path + "/m"] + arguments)
            #expect(r.status != 0 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
    }
}
