import DatasetKit
import Foundation

/// One training run into a model folder: batches shuffled per epoch from the seed, augmented,
/// forward, loss, backward, optimizer step; then validation, `history.csv` and `curves.svg`,
/// the best model (lowest validation loss, or training loss without validation data) saved
/// atomically whenever it improves, and a checkpoint after every epoch for `--resume`.
/// Early stopping (`patience`) ends the run with the best weights as the model.
public final class TrainingRun {
    public let spec: ModelSpec
    public let data: DatasetDescription
    public let train: ExampleSet
    public let validation: ExampleSet?
    /// How the validation data was chosen (recorded in `model.json`).
    public let validationSource: String?
    public let options: TrainingOptions
    public let folder: String
    /// Sets weights of the new network before training (a pretrained backbone's); a resumed run
    /// takes every weight from its checkpoint instead.
    public var initialWeights: ((Network) throws -> Void)?

    public init(spec: ModelSpec, data: DatasetDescription, train: ExampleSet, validation: ExampleSet?,
                validationSource: String?, options: TrainingOptions, folder: String) {
        self.spec = spec
        self.data = data
        self.train = train
        self.validation = validation
        self.validationSource = validationSource
        self.options = options
        self.folder = folder
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        public var history: History
        public var savedEpoch: Int
        public var stoppedEarly: Bool
        /// Epochs run by this call (0 when a resumed run was already complete).
        public var epochsRunNow: Int
        /// Signs of a run that finished but did not learn (see `CollapseCheck`).
        public var warnings: [String] = []
    }

    /// Whether `folder` holds a checkpoint a run could resume from.
    public static func hasCheckpoint(in folder: String) -> Bool { FileIO.exists(folder + "/" + Checkpoint.fileName) }

    /// Trains; `resume` continues from the folder's checkpoint. `onBatch`, `onEpoch` and
    /// `onWarning` report progress (on the calling thread).
    ///
    /// A loss that becomes NaN or infinite (every step; validation every epoch), or weights that
    /// do (every epoch, before anything is saved), stop the run with `TrainingError.diverged`:
    /// the model and checkpoint in the folder stay those of the last good epoch.
    public func run(resume: Bool, onBatch: (BatchProgress) -> Void = { _ in }, onEpoch: (EpochRecord) -> Void = { _ in },
                    onWarning: (String) -> Void = { _ in }) throws -> Outcome {
        guard train.count > 0 else { throw DataError.missing("no training examples") }
        try FileIO.createDirectories(folder)
        let engine = try ComputeEngine(threads: options.threads)
        let network = try Network(spec: spec, batchSize: options.batchSize, training: true, engine: engine, seed: options.seed)
        if !resume { try initialWeights?(network) }
        let optimizer = try options.optimizer.makeOptimizer(for: network.parameters)
        let fingerprint = Checkpoint.fingerprint(spec: spec, data: data, options: options, trainExamples: train.count)
        var state = Checkpoint.State(fingerprint: fingerprint)
        if resume {
            state = try Checkpoint.restore(folder: folder, network: network, optimizer: optimizer)
            guard state.fingerprint == fingerprint else {
                throw ModelError.file("the checkpoint in \(folder) is of a run with other settings (model, data, batch size, optimizer, seed or augmentation); rerun with those, or start afresh with --overwrite")
            }
        }
        let loss = spec.head.loss
        let assembler = BatchAssembler(examples: train, normalization: data.normalization, augmentation: options.augmentation,
                                       seed: options.seed)
        let batches = (train.count + options.batchSize - 1) / options.batchSize
        var stoppedEarly = false, epochsRunNow = 0, warnings: [String] = []
        let collapse = CollapseCheck(train, classes: data.classes.count, head: spec.head)
        func diverged(_ what: String, epoch: Int, step: Int? = nil) -> TrainingError {
            .diverged(what: what, epoch: epoch, step: step, steps: batches, learningRate: options.optimizer.learningRate,
                      savedEpoch: state.bestEpoch, folder: folder)
        }
        if let patience = options.patience, state.epochsSinceBest >= patience { stoppedEarly = true }
        var epoch = state.epochsDone
        while epoch < options.epochs && !stoppedEarly {
            var generator = SeededGenerator(seed: options.seed, item: "shuffle", index: epoch)
            var order = Array(0..<train.count)
            order.shuffle(using: &generator)
            var total = LossValue(), seen = 0
            // Whether every batch of two or more examples gave one output for all (see CollapseCheck).
            var sameOutputs = true, comparedBatches = 0
            let start = Date()
            for batch in 0..<batches {
                let positions = order[(batch * options.batchSize)..<min((batch + 1) * options.batchSize, train.count)]
                let labels = assembler.fill(network, positions: positions, epoch: epoch)
                try network.forward(training: true, step: epoch * batches + batch)
                let value = loss.evaluate(logits: network.logits.floats, classes: network.classCount, rows: positions.count,
                                          batch: options.batchSize, labels: labels, gradient: network.logitsGradient!.floats)
                guard value.loss.isFinite else { throw diverged("the training loss is \(nonFinite(value.loss))", epoch: epoch + 1, step: batch + 1) }
                if sameOutputs && positions.count >= 2 {
                    sameOutputs = CollapseCheck.sameForEveryRow(network.logits.floats, rows: positions.count, classes: network.classCount)
                    comparedBatches += 1
                }
                try network.backward()
                optimizer.step()
                total = total + value
                seen += positions.count
                let elapsed = Date().timeIntervalSince(start)
                onBatch(BatchProgress(epoch: epoch + 1, epochs: options.epochs, batch: batch + 1, batches: batches,
                                      loss: total.loss / Double(seen), accuracy: total.correct / Double(seen),
                                      imagesPerSecond: Double(seen) / max(elapsed, 1e-9), elapsed: elapsed))
            }
            let seconds = Date().timeIntervalSince(start)
            var record = EpochRecord(epoch: epoch + 1, loss: total.loss / Double(seen), accuracy: total.correct / Double(seen),
                                     seconds: seconds, imagesPerSecond: Double(seen) / max(seconds, 1e-9))
            if let validation, validation.count > 0 {
                let measured = try Evaluator(network: network, normalization: data.normalization).measure(validation, loss: loss)
                (record.validationLoss, record.validationAccuracy) = (measured.loss, measured.accuracy)
                guard measured.loss.isFinite else { throw diverged("the validation loss is \(nonFinite(measured.loss))", epoch: epoch + 1) }
            }
            // A NaN weight can hide behind max pooling and ReLU and leave the loss finite; it
            // must never reach the saved model or the checkpoint.
            if let name = network.firstNonFiniteParameter() { throw diverged("\(name) holds NaN or infinity", epoch: epoch + 1) }
            epoch += 1
            epochsRunNow += 1
            state.epochsDone = epoch
            state.iterations = optimizer.iterations
            state.history.epochs.append(record)
            if state.bestMonitored.map({ record.monitored < $0 }) ?? true {
                state.bestMonitored = record.monitored
                state.bestEpoch = epoch
                state.epochsSinceBest = 0
                try ModelFile.save(network, document: document(state: state, stoppedEarly: false), to: folder)
            } else {
                state.epochsSinceBest += 1
            }
            if let patience = options.patience, state.epochsSinceBest >= patience { stoppedEarly = true }
            try writeReports(state.history)
            try Checkpoint.write(state, network: network, optimizer: optimizer, folder: folder)
            onEpoch(record)
            let ends = epoch >= options.epochs || stoppedEarly
            if warnings.isEmpty, let warning = collapse?.warning(after: state.history.epochs, sameOutputs: sameOutputs && comparedBatches > 0, runEnds: ends,
                                                                 learningRate: options.optimizer.learningRate) {
                warnings.append(warning)
                onWarning(warning)
            }
        }
        // The saved weights are the best epoch's; the record now tells how the run ended.
        if FileIO.exists(folder + "/" + ModelFile.weightsName) {
            try FileIO.writeAtomically(ModelFile.encode(document(state: state, stoppedEarly: stoppedEarly)),
                                       to: folder + "/" + ModelFile.documentName)
        }
        return Outcome(history: state.history, savedEpoch: state.bestEpoch, stoppedEarly: stoppedEarly, epochsRunNow: epochsRunNow,
                       warnings: warnings)
    }

    private func document(state: Checkpoint.State, stoppedEarly: Bool) -> ModelDocument {
        let record = TrainingRecord(epochs: options.epochs, batchSize: options.batchSize, optimizer: options.optimizer,
                                    seed: options.seed, augmentation: options.augmentation, patience: options.patience,
                                    validation: validationSource, threads: options.threads, epochsRun: state.epochsDone,
                                    savedEpoch: state.bestEpoch, stoppedEarly: stoppedEarly, trainExamples: train.count,
                                    validationExamples: validation?.count ?? 0)
        return ModelDocument(architecture: spec, data: data, training: record)
    }

    private func writeReports(_ history: History) throws {
        try FileIO.writeAtomically(Array(history.csv.utf8), to: folder + "/history.csv")
        try FileIO.writeAtomically(Array(CurvesChart.svg(history, title: "\(spec.name): loss and accuracy per epoch").utf8),
                                   to: folder + "/curves.svg")
        try FileIO.writeAtomically(Array(data.classes.map { $0 + "\n" }.joined().utf8), to: folder + "/classes.txt")
    }
}

/// How a NaN or infinite value reads in a message (`-nan` is Swift's spelling of some NaNs).
func nonFinite(_ value: Double) -> String { value.isNaN ? "NaN" : value < 0 ? "-infinity" : "infinity" }

/// A run that cannot go on.
public enum TrainingError: Error, Sendable, CustomStringConvertible {
    /// A loss or a weight became NaN or infinite. `step` (1-based, of `steps`) for a training
    /// step; nil for a check at the end of the epoch. `savedEpoch` 0: nothing was saved yet.
    case diverged(what: String, epoch: Int, step: Int?, steps: Int, learningRate: Double, savedEpoch: Int, folder: String)

    public var description: String {
        switch self {
        case let .diverged(what, epoch, step, steps, learningRate, savedEpoch, folder):
            let at = step.map { "epoch \(epoch), step \($0) of \(steps)" } ?? "the end of epoch \(epoch)"
            let kept = savedEpoch > 0 ? "the model of epoch \(savedEpoch) in \(folder) is kept" : "no model was saved"
            return "training diverged: \(what) at \(at); \(kept). Try a lower --lr than \(learningRate), "
                + "and check the data's normalisation (mean and std)"
        }
    }
}
