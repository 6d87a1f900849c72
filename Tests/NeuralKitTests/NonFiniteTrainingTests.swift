import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// NaN and infinity in the data or the run: refused on load naming the file and row, or the
/// run stopped naming the epoch and step, the last good model kept; never a model of NaNs.
@Suite struct NonFiniteTrainingTests {
    /// A features file of `rows` x 4 float32 values (class `row % 3` shifted apart), with
    /// `poison` written at `(row, 1)` when given, and its int64 labels.
    static func featureFiles(in folder: String, rows: Int = 30, poison: (row: Int, value: Float)? = nil) throws -> (String, String) {
        let features = folder + "/features.npy", labels = folder + "/labels.npy"
        var values: [Float] = (0..<(rows * 4)).map { i -> Float in
            let noise = Float(i % 7) / 7
            return noise + Float(i / 4 % 3)
        }
        if let poison { values[poison.row * 4 + 1] = poison.value }
        let writer = try NPYWriter(path: features, dtype: .float32, rowShape: [4], expectedRows: rows)
        try writer.append(rows: values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        _ = try writer.finish()
        let labelWriter = try NPYWriter(path: labels, dtype: .int64, rowShape: [], expectedRows: rows)
        try labelWriter.append(rows: (0..<rows).flatMap { r in withUnsafeBytes(of: Int64(r % 3).littleEndian, Array.init) })
        _ = try labelWriter.finish()
        return (features, labels)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteFeatureIsRefusedNamingFileAndRow(_ value: Float) throws {
        let folder = TemporaryFolder()
        let (features, labels) = try Self.featureFiles(in: folder.path, poison: (17, value))
        let error = #expect(throws: (any Error).self) { _ = try FeatureDataset.load(features: features, labels: labels, classes: nil) }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("features.npy") && text.contains("row 17"), "\(text)")
    }

    /// SGD at a learning rate of 10^6 overflows in the second epoch: the run stops there, names
    /// the epoch and step, and the model of epoch 1 stays, loadable, with finite weights.
    @Test func divergingRunStopsNamingTheStepAndKeepsTheLastGoodModel() throws {
        let folder = TemporaryFolder(), data = TemporaryFolder()
        let (features, labels) = try Self.featureFiles(in: data.path)
        let (set, description) = try FeatureDataset.load(features: features, labels: labels, classes: nil)
        let spec = ModelArchitecture.mlp.spec(input: set.input, classes: 3, head: .softmax)
        let options = TrainingOptions(epochs: 4, batchSize: 16, optimizer: OptimizerSettings(kind: .sgd, learningRate: 1e6), threads: 1)
        let run = TrainingRun(spec: spec, data: description, train: set, validation: nil, validationSource: nil, options: options,
                              folder: folder.path)
        let error = #expect(throws: (any Error).self) { _ = try run.run(resume: false) }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("epoch 2, step 1 of 2") && text.contains("--lr"), "\(text)")
        let document = try ModelFile.document(in: folder.path)
        #expect(document.training?.savedEpoch == 1)
        let (network, _) = try ModelFile.network(in: folder.path, batchSize: 4, engine: try ComputeEngine(threads: 1))
        #expect(network.firstNonFiniteParameter() == nil)
    }

    /// A NaN pixel in float32 images: max pooling drops NaN (its max instruction returns the
    /// other operand), so the loss stays finite while the first kernel turns to NaN. The run
    /// must stop at the end of the epoch rather than save those weights.
    @Test func nanWeightsBehindMaxPoolingAreNeverSaved() throws {
        let folder = TemporaryFolder()
        let images = try TinyData.images(perClass: 4)
        var floats = (0..<images.count).flatMap { row in Array(images.rows.row(row)).map { Float($0) / 255 } }
        floats[5 * 8 * 8 * 3 + 7] = .nan
        let set = try ExampleSet(input: images.input, element: .float32, rows: ArrayRows(floats: floats, rowLength: 8 * 8 * 3),
                                 labels: images.labels)
        let options = TrainingOptions(epochs: 2, batchSize: 4, threads: 1)
        let run = TrainingRun(spec: TrainingTests.tinyCNN(classes: 3), data: TinyData.description(for: set, classes: 3), train: set,
                              validation: nil, validationSource: nil, options: options, folder: folder.path)
        let error = #expect(throws: (any Error).self) { _ = try run.run(resume: false) }
        let text = "\(error.map { "\($0)" } ?? "")"
        #expect(text.contains("NaN") && text.contains("epoch 1"), "\(text)")
        #expect(!FileIO.exists(folder.path + "/" + ModelFile.weightsName))
        #expect(!FileIO.exists(folder.path + "/checkpoint.safetensors"))
    }
}

/// A network whose output no longer depends on its input (dead ReLUs) learns nothing more;
/// the run says so, and still finishes.
@Suite struct CollapseWarningTests {
    static func run(_ set: ExampleSet, _ spec: ModelSpec, epochs: Int, _ kind: OptimizerKind, _ rate: Double) throws -> TrainingRun.Outcome {
        let folder = TemporaryFolder()
        let options = TrainingOptions(epochs: epochs, batchSize: 4, optimizer: OptimizerSettings(kind: kind, learningRate: rate), threads: 1)
        var warned: [String] = []
        let outcome = try TrainingRun(spec: spec, data: TinyData.description(for: set, classes: 3), train: set, validation: nil,
                                      validationSource: nil, options: options, folder: folder.path)
            .run(resume: false, onWarning: { warned.append($0) })
        #expect(warned == outcome.warnings)
        return outcome
    }

    /// Adam at 0.1 kills small-cnn's ReLUs in its first epoch: from then on every image gives
    /// the same logits and the loss hovers around ln(3).
    @Test func deadReLUsWarnOnceWithWhatToChange() throws {
        let images = try TinyData.images(perClass: 8)
        let collapsed = try Self.run(images, TrainingTests.tinyCNN(classes: 3), epochs: 4, .adam, 0.1)
        #expect(collapsed.history.epochs.count == 4)
        #expect(collapsed.warnings.count == 1)
        let warning = collapsed.warnings.first ?? ""
        #expect(warning.contains("the network gave the same output for every example") && warning.contains("ln(3) = 1.0986")
                && warning.contains("--lr") && warning.contains("normalisation"), "\(warning)")
        // A run that learns does not warn, nor does one that sits near ln(3) for its second
        // epoch and then learns (SGD at 0.3: 1.105, 1.104, 1.022, 0.461, ...).
        #expect(try Self.run(try TinyData.features(), ModelArchitecture.mlp.spec(input: .features(6), classes: 3, head: .softmax),
                             epochs: 6, .adam, 0.01).warnings.isEmpty)
        let plateau = try Self.run(images, TrainingTests.tinyCNN(classes: 3), epochs: 6, .sgd, 0.3)
        #expect(plateau.history.epochs[1].loss < 1.01 * log(3) && plateau.history.epochs.last!.loss < 0.5, "\(plateau.history.csv)")
        #expect(plateau.warnings.isEmpty)
    }

    /// The loss alone: on the baseline for two epochs after the first, or for the last epoch.
    @Test func lossOnTheBaselineWarns() throws {
        let set = try ExampleSet(input: .features(1), element: .float32, rows: ArrayRows(floats: [0, 0, 0], rowLength: 1),
                                 labels: .classes([0, 1, 2]))
        let check = try #require(CollapseCheck(set, classes: 3, head: .softmax))
        func epochs(_ losses: [Double]) -> [EpochRecord] {
            losses.enumerated().map { EpochRecord(epoch: $0.offset + 1, loss: $0.element, accuracy: 0, seconds: 1, imagesPerSecond: 1) }
        }
        let ln3 = log(3.0)
        #expect(check.warning(after: epochs([ln3]), sameOutputs: false, runEnds: true, learningRate: 1) == nil)
        #expect(check.warning(after: epochs([2, ln3]), sameOutputs: false, runEnds: false, learningRate: 1) == nil)
        #expect(check.warning(after: epochs([2, ln3]), sameOutputs: false, runEnds: true, learningRate: 1) != nil)
        #expect(check.warning(after: epochs([2, ln3 * 1.005, ln3]), sameOutputs: false, runEnds: false, learningRate: 1) != nil)
        #expect(check.warning(after: epochs([2, ln3, 0.5]), sameOutputs: false, runEnds: true, learningRate: 1) == nil)
    }

    /// With unbalanced classes a constant prediction's loss is the entropy of the class
    /// frequencies, below ln(classes).
    @Test func baselineIsTheEntropyOfTheClassFrequencies() throws {
        let set = try ExampleSet(input: .features(1), element: .float32, rows: ArrayRows(floats: [0, 0, 0, 0], rowLength: 1),
                                 labels: .classes([0, 0, 0, 1]))
        let check = try #require(CollapseCheck(set, classes: 2, head: .softmax))
        #expect(abs(check.baseline - (-0.75 * log(0.75) - 0.25 * log(0.25))) < 1e-12)
        let single = try ExampleSet(input: .features(1), element: .float32, rows: ArrayRows(floats: [0, 0], rowLength: 1),
                                    labels: .classes([1, 1]))
        #expect(CollapseCheck(single, classes: 2, head: .softmax) == nil)
    }
}
