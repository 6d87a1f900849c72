import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score a trained model on a labelled split: accuracy, per-class precision/recall/F1, confusion matrix.",
        discussion: """
            Single-label: accuracy, per-class precision, recall, F1 and support sorted by F1, \
            macro and weighted averages, and the confusion matrix (confusion.csv, confusion.svg). \
            Multi-label: sample-averaged F1 (with its precision and recall), per-label precision, \
            recall and F1, micro/macro/weighted averages, exact match and Hamming loss. The numbers \
            equal scikit-learn's precision_recall_fscore_support(labels=range(C)) and \
            f1_score(average="samples") on the same predictions (0 where a ratio is 0/0).

            The shards must be prepared as the model's training data were (model.json's \
            data.preparation: background, orientation, DCT reduction and resize, and for float32 \
            shards the normalisation); uint8 shards are normalised as the model was trained.

            Writes report.json and the confusion matrix to --report (default MODEL_DIR/evaluation-<split>).

            Examples:
              dataset evaluate model shards
              dataset evaluate model shards --split val --json
              dataset evaluate top test-features.npy --labels test-labels.npy
              dataset evaluate top feats --split val   # feats from dataset features
            """
    )

    @Argument(help: ArgumentHelp("Model folder written by `dataset train`.", valueName: "model-dir"))
    var model: String

    @Argument(help: ArgumentHelp("Shards folder from `dataset pack`, features folder from `dataset features`, or a features .npy with --labels.", valueName: "shards"))
    var data: String

    @Option(help: "Split of the shards to score.")
    var split: String = "test"

    @Option(help: ArgumentHelp("Multi-label: probability from which a label counts as predicted (default: the model's, 0.5).", valueName: "p"))
    var threshold: Double?

    @Option(help: ArgumentHelp("Folder for report.json and the confusion matrix (default: MODEL_DIR/evaluation-<split>).", valueName: "folder"))
    var report: String?

    @Option(help: "Examples per forward pass.")
    var batchSize: Int = 64

    @OptionGroup(title: "Features") var features: FeatureFlags
    @OptionGroup(title: "Compute") var compute: ComputeFlags

    @Flag(help: "Print the report as JSON on stdout instead of a table.")
    var json = false

    func validate() throws {
        guard FileIO.isDirectory(model) else { throw ValidationError("model-dir '\(model)' is not a folder.") }
        try features.validate(data: data, argument: "shards")
        if let threshold, !(threshold > 0 && threshold < 1) { throw ValidationError("--threshold must be in (0, 1) (got \(threshold)).") }
        guard (1...65536).contains(batchSize) else { throw ValidationError("--batch-size must be 1-65536 (got \(batchSize)).") }
    }

    func run() throws {
        OpenMPEnvironment.prepare(threads: compute.threads)
        let folder = FileTree.normalise(model)
        let evaluation: Evaluation
        let name: String
        do {
            let examples: ExampleSet, description: DatasetDescription
            if FeatureFlags.isFeatureFolder(data) {
                let folder = try FeatureFolder(folder: FileTree.normalise(data))
                (examples, description) = try folder.examples(split: SplitName.resolve(split, in: folder.splitNames))
                name = split
            } else if FeatureFlags.isFeatureFile(data) {
                (examples, description) = try features.loadFeatures(data)
                name = URL(fileURLWithPath: data).deletingPathExtension().lastPathComponent
            } else {
                let shards = try ShardDataset(folder: FileTree.normalise(data))
                (examples, description) = (try shards.examples(split: SplitName.resolve(split, in: shards.splitNames)), shards.description)
                name = split
            }
            let engine = try ComputeEngine(threads: compute.threads)
            let (network, document) = try ModelFile.network(in: folder, batchSize: min(batchSize, max(examples.count, 1)), engine: engine)
            if !FeatureFlags.isFeatureFile(data) && description.classes != document.data.classes {
                throw DataError.mismatch("the data's classes differ from the model's (\(document.data.classes.count) classes in \(folder)/classes.txt)")
            }
            // Scores of images prepared otherwise than the training images say little about the model.
            if let mismatch = document.data.preparationMismatch(description) {
                throw DataError.mismatch("the shards' \(mismatch) (data.preparation in \(folder)/model.json): pack them with the same settings")
            }
            evaluation = try Evaluation.run(network: network, document: document, examples: examples,
                                            threshold: threshold ?? document.threshold)
        } catch {
            throw commandFailure(error)
        }
        let reportFolder = report.map(FileTree.normalise) ?? folder + "/evaluation-" + name
        do {
            try FileIO.createDirectories(reportFolder)
            try FileIO.writeAtomically(Array(jsonText(evaluation).utf8), to: reportFolder + "/report.json")
            if case .singleLabel(let single) = evaluation {
                try FileIO.writeAtomically(Array(single.confusion.csv.utf8), to: reportFolder + "/confusion.csv")
                try FileIO.writeAtomically(Array(ConfusionMatrixChart.svg(single.confusion, title: "\(name): confusion matrix").utf8),
                                           to: reportFolder + "/confusion.svg")
            }
        } catch {
            throw commandFailure(error)
        }
        if json {
            FileHandle.standardOutput.write(Data(jsonText(evaluation).utf8))
        } else {
            FileHandle.standardOutput.write(Data(EvaluationText.table(evaluation).utf8))
        }
        ReportLines.write("evaluate: report in \(reportFolder)")
    }

    private func jsonText(_ evaluation: Evaluation) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(evaluation)) ?? Data(), as: UTF8.self) + "\n"
    }
}
