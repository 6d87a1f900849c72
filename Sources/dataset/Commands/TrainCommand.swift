import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

extension ModelArchitecture: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a classifier on shards from `dataset pack` (or on feature vectors), on the CPU with oneDNN.",
        discussion: """
            Writes MODEL_DIR/model.json (architecture, classes, the pack's image preparation: \
            decode settings, resize and normalisation, which `predict` applies; training \
            record), weights.safetensors (Keras layouts; Python's safetensors reads it), \
            classes.txt, history.csv, curves.svg and checkpoint.safetensors (for --resume). The \
            saved weights are those of the epoch with the lowest validation loss (training loss \
            without validation data), written atomically each time it improves.

            A features folder from `dataset features` trains on its train split and validates on \
            its val split when there is one; its classes come from classes.txt. Feature maps \
            ((N, h, w, c), --pooling none) are flattened in C order, as Keras' Flatten does.

            Validation data: the shards' val split (or valid, validation), or --val-fraction of train.
            Multi-label shards train a sigmoid head with binary cross-entropy, others softmax \
            with categorical cross-entropy. Results repeat exactly for the same --seed and --threads.

            Examples:
              dataset train shards --to model --model small-cnn --epochs 20 --flip --shift 0.1
              dataset train shards --to model --model seed-cnn --optimizer rmsprop --lr 1e-4 --patience 5
              dataset train bottleneck.npy --labels labels.npy --classes classes.txt --to top --model mlp
              dataset train feats --to top --model mlp --optimizer rmsprop --lr 1e-4   # feats from dataset features
              dataset train feats --to top --model linear --optimizer sgd --lr 0.01 --batch-size 100
              dataset train shards --to model --epochs 30 --resume
              dataset train shards --to model --backbone mobilenet_v2 --weights imagenet --head "avg, dropout 0.2"

            With --backbone the model is that Keras application without its top, frozen (its \
            weights loaded and never updated; batch normalisation on its moving statistics), \
            under --head and a classifier: the tutorials' first phase. The shards are read at their \
            packed size (pack at 224, or 299 for inception_v3) and normalised as the backbone's \
            preprocess_input does, whatever --normalize pack recorded for uint8 shards.
            """
    )

    @Argument(help: ArgumentHelp("A shards folder from `dataset pack` (npy), a features folder from `dataset features`, or a features .npy with --labels.", valueName: "shards"))
    var data: String

    @Option(name: .customLong("to"), help: ArgumentHelp("Model folder to write.", valueName: "model-dir"))
    var destination: String

    @Option(help: "Network: small-cnn (fast, 32-128 px), seed-cnn (the Food-101 tutorial's CNN), mlp (dense layers, for feature vectors), linear (one dense layer: logistic regression on feature vectors).")
    var model: ModelArchitecture = .smallCNN

    @Option(help: "Passes over the training data.")
    var epochs: Int = 10

    @Option(help: "Examples per step.")
    var batchSize: Int = 32

    @Option(help: "sgd, rmsprop or adam (Keras' update rules and defaults).")
    var optimizer: OptimizerKind = .adam

    @Option(help: ArgumentHelp("Learning rate (default: Keras' — 0.01 for sgd, 0.001 for rmsprop and adam).", valueName: "rate"))
    var lr: Double?

    @Option(help: "SGD momentum.")
    var momentum: Double = 0

    @Option(help: "Decoupled weight decay (Keras 3's weight_decay): w -= lr * decay * w each step.")
    var weightDecay: Double = 0

    @Option(help: "Seed for initial weights, shuffling, augmentation and dropout.")
    var seed: UInt64 = 1

    @Option(help: "Training split of the shards.")
    var split: String = "train"

    @Option(help: ArgumentHelp("Validation split of the shards (default: val, valid or validation when present).", valueName: "name"))
    var valSplit: String?

    @Option(help: ArgumentHelp("Hold out this fraction of the training examples for validation instead (0-0.9).", valueName: "fraction"))
    var valFraction: Double?

    @Flag(help: "Augment: mirror images left-right at random (Keras' horizontal_flip).")
    var flip = false

    @Option(help: ArgumentHelp("Augment: shift images by up to this fraction of their width and height, repeating the edges (Keras' width/height_shift_range, fill_mode nearest).", valueName: "fraction"))
    var shift: Double = 0

    @Option(help: ArgumentHelp("Stop after this many epochs without a lower validation loss; the best epoch's weights are kept.", valueName: "epochs"))
    var patience: Int?

    @Flag(help: "Continue the run checkpointed in the model folder (same settings; --epochs may grow).")
    var resume = false

    @Flag(help: "Start afresh even if the model folder holds a model or checkpoint.")
    var overwrite = false

    @Option(help: ArgumentHelp("Train a head on this frozen pretrained network: vgg16, resnet50, mobilenet_v2, inception_v3.",
                               valueName: "name"))
    var backbone: String?

    @Option(help: ArgumentHelp("The backbone's weights: imagenet (the Keras file, found in ~/.keras/models or downloaded), none (Keras' initialisers), or a .h5 / .weights.h5 path.",
                               valueName: "weights"))
    var weights: String = "imagenet"

    @Option(help: ArgumentHelp("Layers between the backbone and the classifier, comma-separated: avg, max, flatten, dense UNITS [relu|relu6|leaky_relu], dropout RATE.",
                               valueName: "layers"))
    var head: String = "avg"

    @OptionGroup(title: "Features") var features: FeatureFlags
    @OptionGroup(title: "Compute") var compute: ComputeFlags

    @Flag(help: "Print a machine-readable summary (JSON) on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress display.")
    var quiet = false

    func validate() throws {
        try features.validate(data: data, argument: "shards")
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1 (got \(epochs)).") }
        guard (1...65536).contains(batchSize) else { throw ValidationError("--batch-size must be 1-65536 (got \(batchSize)).") }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number (got \(lr)).") }
        guard (0..<1).contains(momentum) else { throw ValidationError("--momentum must be in [0, 1) (got \(momentum)).") }
        if momentum > 0 && optimizer != .sgd { throw ValidationError("--momentum is for --optimizer sgd.") }
        guard weightDecay >= 0 && weightDecay < 1 else { throw ValidationError("--weight-decay must be in [0, 1) (got \(weightDecay)).") }
        if let valFraction, !(valFraction > 0 && valFraction <= 0.9) {
            throw ValidationError("--val-fraction must be in (0, 0.9] (got \(valFraction)).")
        }
        if valFraction != nil && valSplit != nil { throw ValidationError("--val-split and --val-fraction exclude each other: pick one.") }
        guard (0..<0.5).contains(shift) else { throw ValidationError("--shift must be in [0, 0.5) (got \(shift)).") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1 (got \(patience)).") }
        if resume && overwrite { throw ValidationError("--resume and --overwrite exclude each other: pick one.") }
        if let backbone {
            guard Backbone(rawValue: backbone) != nil else {
                throw ValidationError("--backbone must be one of \(Backbone.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(backbone)').")
            }
            guard !FeatureFlags.isFeatureFile(data) && !FeatureFlags.isFeatureFolder(data) else {
                throw ValidationError("--backbone trains on image shards, not on features (train those with --model mlp or linear).")
            }
            do { _ = try TransferHead(parsing: head) } catch { throw ValidationError(error.description) }
            do { _ = try WeightsChoice(parsing: weights) } catch { throw ValidationError("--weights: \(error)") }
        }
        if (FeatureFlags.isFeatureFile(data) || FeatureFlags.isFeatureFolder(data)) && (flip || shift > 0) {
            throw ValidationError("--flip and --shift augment images, not feature vectors.")
        }
    }

    func run() throws {
        OpenMPEnvironment.prepare(threads: compute.threads)
        let folder = FileTree.normalise(destination)
        var (train, validation, validationSource, description) = try loadData()
        let taken = FileIO.exists(folder + "/" + ModelFile.documentName) || TrainingRun.hasCheckpoint(in: folder)
        if resume && !TrainingRun.hasCheckpoint(in: folder) {
            throw commandFailure("\(folder) holds no checkpoint to resume (train without --resume first)")
        }
        if taken && !resume && !overwrite {
            throw commandFailure("\(folder) already holds a model: --resume to continue its run, --overwrite to start afresh")
        }
        let spec: ModelSpec
        var transfer: Transfer?
        if let name = backbone, let backbone = Backbone(rawValue: name) {
            let prepared = try transferData(backbone, &description)
            spec = prepared.spec
            transfer = prepared
        } else {
            spec = model.spec(input: description.input, classes: description.classes.count, head: description.multiLabel ? .sigmoid : .softmax)
        }
        let options = TrainingOptions(
            epochs: epochs, batchSize: batchSize,
            optimizer: OptimizerSettings(kind: optimizer, learningRate: lr, weightDecay: weightDecay, momentum: momentum),
            seed: seed, patience: patience, augmentation: Augmentation(flip: flip, shift: shift), threads: compute.threads)
        var run = TrainingRun(spec: spec, data: description, train: train, validation: validation,
                              validationSource: validationSource, options: options, folder: folder)
        run.initialWeights = transfer?.load
        let display = TrainingProgressBar(style: quiet ? .quiet : nil)
        if !quiet {
            display.note("train: \(spec.name) on \(train.count) examples (\(description.classes.count) classes, "
                + "\(description.multiLabel ? "multi-label" : "single-label")), validation: "
                + (validation.map { "\($0.count) (\(validationSource!))" } ?? "none") + ", \(compute.threads) threads")
        }
        let start = Date()
        let outcome: TrainingRun.Outcome
        do {
            outcome = try run.run(resume: resume, onBatch: display.batch, onEpoch: display.epoch,
                                  onWarning: { display.warning($0) })
        } catch {
            display.finish()
            throw commandFailure(error)
        }
        display.finish()
        let seconds = Date().timeIntervalSince(start)
        if !quiet {
            let best = outcome.history.epochs.first { $0.epoch == outcome.savedEpoch }
            var line = "train: \(outcome.history.epochs.count) epochs in \(String(format: "%.1f", seconds)) s"
            if outcome.stoppedEarly { line += ", stopped early" }
            line += "; saved epoch \(outcome.savedEpoch)"
            if let best { line += " (" + TrainingProgressBar.figures(best) + ")" }
            display.note(line + " to \(folder)")
        }
        if json { printJSON(TrainSummary(folder: folder, outcome: outcome, seconds: seconds, train: train.count, validation: validation?.count ?? 0)) }
    }

    /// A frozen backbone under a head: the spec, and how its weights are loaded.
    private struct Transfer {
        var spec: ModelSpec
        var load: ((Network) throws -> Void)?
    }

    /// The transfer spec for `backbone` on the shards' images, their normalisation made the
    /// backbone's (recorded in the model, so `predict` prepares photos the same way), and the
    /// weights resolved (found, downloaded, or a path) before training starts.
    private func transferData(_ backbone: Backbone, _ description: inout DatasetDescription) throws -> Transfer {
        guard case let .image(height, width, _) = description.input, description.element == .uint8 else {
            throw commandFailure("--backbone trains on uint8 image shards (dataset pack without --dtype float32)")
        }
        guard height >= backbone.minimumSize, width >= backbone.minimumSize else {
            throw commandFailure("\(backbone.rawValue) reads images of at least \(backbone.minimumSize)x\(backbone.minimumSize); "
                + "the shards hold \(width)x\(height): pack with --size \(backbone.defaultSize)")
        }
        if var preparation = description.preparation {
            preparation.normalization = backbone.normalization
            description.preparation = preparation
        } else {
            throw commandFailure("the shards record no image preparation; pack them again with this version")
        }
        let spec = try backbone.transferSpec(height: height, width: width, head: try TransferHead(parsing: head),
                                             classes: description.classes.count, output: description.multiLabel ? .sigmoid : .softmax)
        let choice = try WeightsChoice(parsing: weights)
        let resolved: ResolvedWeights?
        do {
            let printer = WeightsEventPrinter()
            resolved = try WeightsResolver(environment: ProcessInfo.processInfo.environment)
                .resolve(choice, backbone: backbone.rawValue, includeTop: false, events: printer.events)
            if let resolved { printer.finish(resolved) }
        } catch {
            throw commandFailure(error)
        }
        guard let path = resolved?.path else { return Transfer(spec: spec, load: nil) }
        let file: KerasWeightFile
        do { file = try KerasWeightFile(path: path) } catch { throw commandFailure(error) }
        return Transfer(spec: spec, load: { network in
            let report = try KerasWeightLoading.load(file, backbone: backbone, into: network)
            if !quiet {
                ReportLines.write("train: \(backbone.rawValue) frozen, \(report.layers) layers loaded from \(path) (by \(report.matchedBy.rawValue))")
            }
        })
    }

    /// Training and validation examples, and how validation was chosen.
    private func loadData() throws -> (ExampleSet, ExampleSet?, String?, DatasetDescription) {
        do {
            var train: ExampleSet, validation: ExampleSet?, source: String?, description: DatasetDescription
            if FeatureFlags.isFeatureFolder(data) {
                let folder = try FeatureFolder(folder: FileTree.normalise(data))
                (train, description) = try folder.examples(split: SplitName.resolve(split, in: folder.splitNames))
                let named = valSplit.map { SplitName.resolve($0, in: folder.splitNames) }
                    ?? (valFraction == nil ? SplitName.first(.val, in: folder.splitNames) : nil)
                if let named {
                    let (examples, held) = try folder.examples(split: named)
                    guard held.input == description.input else {
                        throw DataError.mismatch("\(folder.folder): split \(named) holds other features than \(split)")
                    }
                    validation = examples
                    source = "split \(named)"
                }
            } else if FeatureFlags.isFeatureFile(data) {
                (train, description) = try features.loadFeatures(data)
            } else {
                let shards = try ShardDataset(folder: FileTree.normalise(data))
                description = shards.description
                // Split names go through the one table: `train` finds an older pack's `Training`.
                train = try shards.examples(split: SplitName.resolve(split, in: shards.splitNames))
                let named = valSplit.map { SplitName.resolve($0, in: shards.splitNames) }
                    ?? (valFraction == nil ? SplitName.first(.val, in: shards.splitNames) : nil)
                if let named {
                    validation = try shards.examples(split: named)
                    source = "split \(named)"
                }
            }
            if let valFraction {
                guard train.count >= 2 else { throw DataError.missing("--val-fraction needs at least 2 training examples") }
                (train, validation) = train.split(validationFraction: valFraction, seed: seed)
                source = "fraction \(valFraction) of \(split)"
            }
            return (train, validation, source, description)
        } catch {
            throw commandFailure(error)
        }
    }
}

/// `train --json`.
struct TrainSummary: Encodable {
    var folder: String
    var epochsRun: Int
    var savedEpoch: Int
    var stoppedEarly: Bool
    var seconds: Double
    var trainExamples: Int
    var validationExamples: Int
    var history: [EpochRecord]
    /// E.g. a network that collapsed (its loss stayed at a constant prediction's).
    var warnings: [String]

    init(folder: String, outcome: TrainingRun.Outcome, seconds: Double, train: Int, validation: Int) {
        self.folder = folder
        epochsRun = outcome.history.epochs.count
        savedEpoch = outcome.savedEpoch
        stoppedEarly = outcome.stoppedEarly
        self.seconds = seconds
        trainExamples = train
        validationExamples = validation
        history = outcome.history.epochs
        warnings = outcome.warnings
    }
}
