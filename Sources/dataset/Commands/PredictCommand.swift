import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Label images (or feature vectors) with a trained model, or with a backbone's ImageNet classifier.",
        discussion: """
            Each image is prepared with the preparation recorded in the model's model.json \
            (data.preparation, copied by `train` from the pack's manifest.json): transparency \
            composited over the pack's --background, EXIF orientation applied unless the pack \
            had --ignore-orientation, JPEG DCT reduction unless --full-decode, the pack's resize, \
            then its normalisation. So a photo gets exactly the pixels `pack` stored for the same \
            file. (A model.json from before preparations were recorded holds only the resize and \
            normalisation; the decode settings are then pack's defaults: white, orientation \
            applied, DCT reduction.) Single-label models print the --top most likely classes; \
            multi-label models print the labels whose \
            probability reaches --threshold (most likely first, at most --top). A folder \
            argument means every image in it. For a model trained on feature vectors, pass a \
            features .npy: each row is predicted.

            --json prints [{"file": ..., "prediction": [{"label": ..., "probability": ...}]}]; \
            a file that cannot be read gets "error" instead, and the exit status is 1. An image \
            file over 256 MB is refused unread (as `resize`'s default --max-file-size).

            With --backbone (no model folder), the images are labelled with the 1000 ImageNet \
            classes by that keras.applications network and its with-top weights: the first \
            check that the weights load right. Each image is prepared as Keras' tutorials do \
            (load_img(target_size=...): stretched to 224x224, 299x299 for inception_v3, nearest \
            neighbour; then the backbone's preprocess_input), except that EXIF orientation is \
            applied, and the --top classes are printed as decode_predictions gives them, \
            `1. n02123045 tabby 0.8312`; --json adds "wnid" to each label. --weights imagenet \
            (the default) uses Keras' own file from $KERAS_HOME/models or ~/.keras/models, or \
            downloads it into ~/.cache/dataset/models (XDG_CACHE_HOME; DATASET_WEIGHTS_MIRROR \
            for another server); a file without the classifier (Keras' _notop or _no_top file) cannot serve.

            Examples:
              dataset predict model photo.jpg --top 3
              dataset predict model photos/ --json
              dataset predict tagger dish.jpg --threshold 0.3
              dataset predict --backbone mobilenet_v2 --weights imagenet cat.jpg
              dataset predict --backbone resnet50 --weights my_resnet50.h5 photos/ --json
            """
    )

    @Argument(help: ArgumentHelp("Model folder written by `dataset train` (none with --backbone).", valueName: "model-dir"))
    var model: String?

    @Argument(help: ArgumentHelp("Images or folders of images (or a features .npy for a features model).", valueName: "image"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Label with this keras.applications network's ImageNet classifier instead of a model folder: "
                               + Backbone.allCases.map(\.rawValue).joined(separator: ", ") + ".", valueName: "name"))
    var backbone: String?

    @Option(help: ArgumentHelp("With --backbone: imagenet (Keras' with-top file, found or downloaded; the default) or the path "
                               + "of a with-top Keras weight file (.h5 or .weights.h5).", valueName: "imagenet|path"))
    var weights: String?

    @Option(help: "How many labels to print per image.")
    var top: Int = 5

    @Option(help: ArgumentHelp("Multi-label: least probability of a printed label (default: the model's, 0.5).", valueName: "p"))
    var threshold: Double?

    @OptionGroup(title: "Compute") var compute: ComputeFlags

    @Flag(help: "Print the predictions as JSON on stdout.")
    var json = false

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1 (got \(top)).") }
        if let backbone {
            guard Backbone(rawValue: backbone) != nil else {
                throw ValidationError("--backbone must be one of \(Backbone.allCases.map(\.rawValue).joined(separator: ", ")) "
                                      + "(got '\(printableName(backbone))').")
            }
            guard threshold == nil else { throw ValidationError("--threshold is for multi-label models; ImageNet classes are one per image.") }
            let choice: WeightsChoice
            do { choice = try WeightsChoice(parsing: weights ?? "imagenet") } catch { throw ValidationError("\(error).") }
            if choice == .none {
                throw ValidationError("--weights none would predict with random weights; give imagenet or a with-top weight file.")
            }
            guard !images.isEmpty else { throw ValidationError("give at least one image.") }
        } else {
            guard weights == nil else { throw ValidationError("--weights goes with --backbone; a model folder holds its own weights.") }
            guard let model else { throw ValidationError("give a model folder (or --backbone) and at least one image.") }
            guard FileIO.isDirectory(model) else { throw ValidationError("model-dir '\(model)' is not a folder.") }
            guard !inputs.isEmpty else { throw ValidationError("give at least one image.") }
            if let threshold, !(threshold > 0 && threshold <= 1) { throw ValidationError("--threshold must be in (0, 1] (got \(threshold)).") }
        }
        for input in images where !FileIO.exists(input) { throw ValidationError("'\(input)' does not exist.") }
    }

    /// The image (or features) arguments: with --backbone every positional argument, else those after the model folder.
    var images: [String] { backbone == nil ? inputs : (model.map { [$0] } ?? []) + inputs }

    struct Item: Encodable {
        var file: String
        var prediction: [LabelProbability]?
        var error: String?
    }

    func run() throws {
        OpenMPEnvironment.prepare(threads: compute.threads)
        if let backbone = backbone.flatMap(Backbone.init(rawValue:)) {
            return try predictImageNet(backbone)
        }
        let predictor: Predictor
        do { predictor = try Predictor(folder: FileTree.normalise(model!), batchSize: 32, threads: compute.threads) } catch {
            throw commandFailure(error)
        }
        var items: [Item] = []
        do {
            items = predictor.readsImages ? try predictImages(predictor) : try predictFeatures(predictor)
        } catch {
            throw commandFailure(error)
        }
        if json {
            printJSON(items)
        } else {
            for item in items {
                if let error = item.error {
                    ReportLines.write("error: \(item.file): \(error)")
                } else {
                    let labels = item.prediction!.map { "\($0.label) \(String(format: "%.4f", $0.probability))" }
                    ReportLines.write("\(item.file): " + (labels.isEmpty ? "(no label reaches the threshold)" : labels.joined(separator: ", ")),
                                      to: .standardOutput)
                }
            }
        }
        if items.contains(where: { $0.error != nil }) { throw ExitCode(1) }
    }

    /// The ranked labels, or an error when the model's outputs overflowed (weights too large for
    /// this input): NaN probabilities must not read as an answer.
    private func result(_ probabilities: [Double], _ predictor: Predictor) -> ([LabelProbability]?, String?) {
        guard probabilities.allSatisfy(\.isFinite) else { return (nil, "the model's outputs are NaN or infinite for this input") }
        return (predictor.ranked(probabilities, top: top, threshold: threshold), nil)
    }

    /// The image files the arguments name (folders listed), and the folder entries that could not be read.
    func imageFiles() throws -> (files: [String], unreadable: [(path: String, reason: String)]) {
        var files: [String] = []
        var unreadable: [(path: String, reason: String)] = []
        for input in images {
            if FileIO.isDirectory(input) {
                let tree = try FileTree(root: input)
                files += tree.images.map { tree.root + "/" + $0 }
                unreadable += tree.problems.map { ($0.path, $0.reason) }
            } else {
                files.append(input)
            }
        }
        return (files, unreadable)
    }

    private func predictImages(_ predictor: Predictor) throws -> [Item] {
        let (files, problems) = try imageFiles()
        let unreadable = problems.map { Item(file: $0.path, error: $0.reason) }
        var items: [Item] = []
        // Prepared in chunks so memory stays bounded for a large folder.
        for chunk in stride(from: 0, to: files.count, by: 256).map({ files[$0..<min($0 + 256, files.count)] }) {
            var prepared: [(Int, [UInt8])] = []
            for file in chunk {
                do {
                    prepared.append((items.count, try predictor.prepare(try FileIO.readImage(file, limits: InputLimits()))))
                    items.append(Item(file: file))
                } catch {
                    items.append(Item(file: file, error: "\(error)"))
                }
            }
            let probabilities = try predictor.probabilities(images: prepared.map(\.1))
            for ((index, _), p) in zip(prepared, probabilities) {
                (items[index].prediction, items[index].error) = result(p, predictor)
            }
        }
        // Folders that could not be read are errors too: their images got no prediction.
        return items + unreadable
    }

    private func predictFeatures(_ predictor: Predictor) throws -> [Item] {
        var items: [Item] = []
        for input in inputs {
            guard FeatureFlags.isFeatureFile(input) else {
                items.append(Item(file: input, error: "this model reads feature vectors: give a features .npy"))
                continue
            }
            // A file that cannot be read is reported and skipped; the others are still predicted.
            let set: ExampleSet
            do {
                let reader = try NPYReader(path: input)
                if let row = reader.firstNonFiniteRow() { throw DataError.mismatch("row \(row) holds NaN or infinity") }
                set = try ExampleSet(input: predictor.document.architecture.input, element: reader.dtype, rows: try ShardRows([reader]),
                                     labels: .classes([Int](repeating: 0, count: reader.rowCount)))
            } catch {
                items.append(Item(file: input, error: "\(error)"))
                continue
            }
            for (row, p) in try predictor.probabilities(set).enumerated() {
                let (prediction, error) = result(p, predictor)
                items.append(Item(file: "\(input)[\(row)]", prediction: prediction, error: error))
            }
        }
        return items
    }
}
