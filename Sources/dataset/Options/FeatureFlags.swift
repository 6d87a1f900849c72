import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

/// For data given as a feature `.npy` instead of a shards folder (the transfer-learning
/// tutorial's bottleneck features): the labels file and, optionally, the class names.
struct FeatureFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Labels of a features .npy: int64 (N,) class indices or uint8 (N, C) multi-hot rows.",
                               valueName: "labels.npy"))
    var labels: String?

    @Option(help: ArgumentHelp("Class names of a features .npy, one per line (default: 0, 1, ...).", valueName: "classes.txt"))
    var classes: String?

    /// Whether `path` names a features file rather than a shards folder.
    static func isFeatureFile(_ path: String) -> Bool { path.lowercased().hasSuffix(".npy") }

    /// Whether `path` is a folder `dataset features` wrote (it carries its labels and classes).
    static func isFeatureFolder(_ path: String) -> Bool { FileIO.isDirectory(path) && FeatureFolder.isFeatureFolder(path) }

    /// Checks the flags against the data argument.
    func validate(data: String, argument: String) throws {
        if Self.isFeatureFolder(data) {
            if labels != nil || classes != nil {
                throw ValidationError("--labels and --classes are for a features .npy; a features folder carries its labels and classes.txt.")
            }
        } else if Self.isFeatureFile(data) {
            guard FileIO.exists(data) else { throw ValidationError("\(argument) '\(data)' does not exist.") }
            guard let labels else { throw ValidationError("--labels is required with a features .npy (int64 (N,) or uint8 (N, C)).") }
            guard FileIO.exists(labels) else { throw ValidationError("--labels '\(labels)' does not exist.") }
            if let classes, !FileIO.exists(classes) { throw ValidationError("--classes '\(classes)' does not exist.") }
        } else {
            guard FileIO.isDirectory(data) else {
                throw ValidationError("\(argument) '\(data)' is neither a shards folder (from `dataset pack`), a features folder (from `dataset features`) nor a features .npy.")
            }
            if labels != nil || classes != nil {
                throw ValidationError("--labels and --classes are for a features .npy; a shards folder carries its labels.")
            }
        }
    }

    /// The examples and their description from a features file.
    func loadFeatures(_ path: String) throws -> (ExampleSet, DatasetDescription) {
        let names = try classes.map { file in
            String(decoding: try FileIO.read(file), as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return try FeatureDataset.load(features: path, labels: labels!, classes: names)
    }
}
