import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// Whole training runs on tiny data: learning, determinism, saved models, resume, early stop.
@Suite struct TrainingTests {
    static func tinyCNN(classes: Int, head: ModelSpec.Head = .softmax) -> ModelSpec {
        ModelArchitecture.smallCNN.spec(input: .image(height: 8, width: 8, channels: 3), classes: classes, head: head)
    }

    static func run(_ spec: ModelSpec, _ set: ExampleSet, validation: ExampleSet? = nil, classes: Int, options: TrainingOptions,
                    folder: String, resume: Bool = false) throws -> TrainingRun.Outcome {
        try TrainingRun(spec: spec, data: TinyData.description(for: set, classes: classes), train: set, validation: validation,
                        validationSource: validation == nil ? nil : "test", options: options, folder: folder).run(resume: resume)
    }

    @Test func smallCNNOverfitsATinySet() throws {
        let folder = TemporaryFolder()
        let set = try TinyData.images()
        let options = TrainingOptions(epochs: 25, batchSize: 8, optimizer: OptimizerSettings(kind: .adam, learningRate: 0.01), threads: 2)
        let outcome = try Self.run(Self.tinyCNN(classes: 3), set, classes: 3, options: options, folder: folder.path)
        let last = try #require(outcome.history.epochs.last)
        #expect(last.accuracy == 1, "\(outcome.history.csv)")
        #expect(last.loss < outcome.history.epochs[0].loss / 5)
    }

    @Test func mlpOverfitsFeatureVectorsWithEveryOptimizer() throws {
        let set = try TinyData.features()
        for (kind, rate) in [(OptimizerKind.sgd, 0.02), (.rmsprop, 0.01), (.adam, 0.01)] {
            let folder = TemporaryFolder()
            let spec = ModelArchitecture.mlp.spec(input: set.input, classes: 3, head: .softmax)
            var optimizer = OptimizerSettings(kind: kind, learningRate: rate)
            if kind == .sgd { optimizer.momentum = 0.9 }
            let outcome = try Self.run(spec, set, classes: 3, options: TrainingOptions(epochs: 40, batchSize: 8, optimizer: optimizer, threads: 1),
                                       folder: folder.path)
            #expect(outcome.history.epochs.last!.accuracy >= 0.95, "\(kind): \(outcome.history.csv)")
        }
    }

    @Test func multiLabelHeadLearns() throws {
        let folder = TemporaryFolder()
        let set = try TinyData.multiLabelImages()
        let options = TrainingOptions(epochs: 30, batchSize: 8, optimizer: OptimizerSettings(kind: .adam, learningRate: 0.01), threads: 2)
        let outcome = try Self.run(Self.tinyCNN(classes: 3, head: .sigmoid), set, classes: 3, options: options, folder: folder.path)
        #expect(outcome.history.epochs.last!.accuracy > 0.95, "\(outcome.history.csv)")
    }

    @Test func sameSeedSameWeightsAndAugmentationChangesThem() throws {
        let set = try TinyData.images(perClass: 5)
        var options = TrainingOptions(epochs: 3, batchSize: 4, seed: 7, threads: 2)
        let a = TemporaryFolder(), b = TemporaryFolder(), c = TemporaryFolder()
        _ = try Self.run(Self.tinyCNN(classes: 3), set, classes: 3, options: options, folder: a.path)
        _ = try Self.run(Self.tinyCNN(classes: 3), set, classes: 3, options: options, folder: b.path)
        options.augmentation = Augmentation(flip: true, shift: 0.2)
        _ = try Self.run(Self.tinyCNN(classes: 3), set, classes: 3, options: options, folder: c.path)
        let first = try FileIO.read(a.path + "/" + ModelFile.weightsName)
        #expect(first == (try FileIO.read(b.path + "/" + ModelFile.weightsName)))
        #expect(first != (try FileIO.read(c.path + "/" + ModelFile.weightsName)))
    }

    @Test func savedModelReproducesItsOutputs() throws {
        let folder = TemporaryFolder()
        let set = try TinyData.images(perClass: 4)
        let spec = Self.tinyCNN(classes: 3)
        let options = TrainingOptions(epochs: 2, batchSize: 5, threads: 2)
        _ = try Self.run(spec, set, classes: 3, options: options, folder: folder.path)
        // The run's own weights, in a training network (dropout off) and in a loaded inference one.
        let engine = try ComputeEngine(threads: 2)
        let trained = try Network(spec: spec, batchSize: 5, training: true, engine: engine)
        try ModelFile.load(try ModelFile.tensors(at: folder.path + "/" + ModelFile.weightsName), into: trained)
        let (loaded, document) = try ModelFile.network(in: folder.path, batchSize: 7, engine: engine)
        #expect(document.architecture == spec)
        #expect(document.data.classes == ["class0", "class1", "class2"])
        let expected = try Evaluator(network: trained, normalization: .rescale).logits(set)
        let got = try Evaluator(network: loaded, normalization: document.data.normalization).logits(set)
        #expect(got.count == set.count * 3)
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
    }

    @Test func resumedRunEqualsAnUninterruptedOne() throws {
        let set = try TinyData.images(perClass: 5)
        let (train, validation) = set.split(validationFraction: 0.2, seed: 1)
        var options = TrainingOptions(epochs: 4, batchSize: 4, optimizer: OptimizerSettings(kind: .adam, learningRate: 0.005),
                                      seed: 3, augmentation: Augmentation(flip: true, shift: 0.1), threads: 2)
        let straight = TemporaryFolder(), halves = TemporaryFolder()
        let full = try Self.run(Self.tinyCNN(classes: 3), train, validation: validation, classes: 3, options: options, folder: straight.path)
        options.epochs = 2
        _ = try Self.run(Self.tinyCNN(classes: 3), train, validation: validation, classes: 3, options: options, folder: halves.path)
        options.epochs = 4
        let resumed = try Self.run(Self.tinyCNN(classes: 3), train, validation: validation, classes: 3, options: options,
                                   folder: halves.path, resume: true)
        #expect(resumed.epochsRunNow == 2)
        #expect(resumed.history == full.history.withoutTimes(matching: resumed.history))
        let a = try ModelFile.tensors(at: straight.path + "/" + Checkpoint.fileName)
        let b = try ModelFile.tensors(at: halves.path + "/" + Checkpoint.fileName)
        #expect(a == b)
    }

    @Test func resumeRefusesOtherSettings() throws {
        let folder = TemporaryFolder()
        let set = try TinyData.images(perClass: 3)
        var options = TrainingOptions(epochs: 1, batchSize: 4, threads: 1)
        _ = try Self.run(Self.tinyCNN(classes: 3), set, classes: 3, options: options, folder: folder.path)
        options.seed = 99
        #expect(throws: ModelError.self) {
            _ = try Self.run(Self.tinyCNN(classes: 3), set, classes: 3, options: options, folder: folder.path, resume: true)
        }
    }

    @Test func earlyStoppingKeepsTheBestEpoch() throws {
        let folder = TemporaryFolder()
        let set = try TinyData.images(perClass: 6)
        let (train, validation) = set.split(validationFraction: 0.3, seed: 2)
        // A learning rate this high makes the validation loss jump about, so it stops early.
        let options = TrainingOptions(epochs: 40, batchSize: 4, optimizer: OptimizerSettings(kind: .sgd, learningRate: 0.5),
                                      patience: 2, threads: 2)
        let outcome = try Self.run(Self.tinyCNN(classes: 3), train, validation: validation, classes: 3, options: options, folder: folder.path)
        let losses = outcome.history.epochs.map { $0.validationLoss! }
        let best = losses.indices.min { losses[$0] < losses[$1] }! + 1
        #expect(outcome.savedEpoch == best)
        if outcome.stoppedEarly { #expect(outcome.history.epochs.count == best + 2) }
        let document = try ModelFile.document(in: folder.path)
        #expect(document.training?.savedEpoch == best)
        #expect(document.training?.epochsRun == outcome.history.epochs.count)
        #expect(FileIO.exists(folder.path + "/history.csv") && FileIO.exists(folder.path + "/curves.svg"))
    }
}

extension History {
    /// This history with the timing columns of `other` (times differ between runs).
    func withoutTimes(matching other: History) -> History {
        History(epochs: zip(epochs, other.epochs).map { mine, theirs in
            var copy = mine
            copy.seconds = theirs.seconds
            copy.imagesPerSecond = theirs.imagesPerSecond
            return copy
        })
    }
}
