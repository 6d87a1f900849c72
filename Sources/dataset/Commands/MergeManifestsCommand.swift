import ArgumentParser
import DatasetKit
import Foundation
import NeuralKit

struct MergeManifestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-manifests",
        abstract: "Merge the outputs of `pack --shard I/N` or `features --shard I/N` workers into what one run writes.",
        discussion: """
            Reads every manifest.wIofN.json in the folders, checks that all N parts are there, \
            come from the same pack settings (format, classes, labels, size, dtype, resize, \
            normalisation, shuffle seed, splits) and list files that are there with the sizes \
            recorded, then writes manifest.json and classes.txt: each split's shards in worker \
            order, counts summed, mean/std from the parts' exact pixel sums (as one run's). \
            A manifest.json already there is replaced, and shard files only it listed are \
            removed (as pack --overwrite does); a rerun writes the same manifest.

            For `dataset features --shard I/N` workers (features.wIofN.json): checks that all N \
            parts are there, made with the same settings, and that their files hold what they \
            record, then writes DIR/<split>/features.npy, labels.npy and files.txt with every \
            row back in the input's order (byte for byte what one run writes), classes.txt and \
            features.json. The workers' own files are left in place (delete \
            <split>/*.w*of*.* to free the space).

            Examples:
              dataset merge-manifests shards
              dataset merge-manifests node1/shards node2/shards --to shards
              dataset merge-manifests feats   # after dataset features ... --shard I/N
            """
    )

    @Argument(help: "Folder(s) the pack --shard (or features --shard) workers wrote to.")
    var folders: [String]

    @Option(name: .customLong("to"), help: "Where manifest.json (or features.json) goes (default: the one folder given); shard files in other folders are hard-linked (or copied) there.")
    var destination: String?

    @Flag(help: "Print the merged manifest (or features.json) on stdout.")
    var json = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give the folder the pack --shard workers wrote to.") }
        for folder in folders where !FileIO.isDirectory(folder) { throw ValidationError("'\(folder)' is not a folder.") }
        if folders.count > 1 && destination == nil { throw ValidationError("--to is needed with several folders: where the merged pack goes.") }
    }

    func run() throws {
        let target = FileTree.normalise(destination ?? folders[0])
        if FeatureMerger.hasParts(in: folders) { return try mergeFeatures(into: target) }
        let manifest: Manifest
        do {
            let parts = try ManifestMerger.parts(in: folders)
            manifest = try ManifestMerger.merge(parts)
            try ManifestMerger.checkFiles(parts)
            try ManifestMerger.write(manifest, parts: parts, to: target)
            let splits = manifest.splits.map { "\($0.name) \($0.count) rows in \($0.shards.count) shard\($0.shards.count == 1 ? "" : "s")" }
            ReportLines.write("merge-manifests: \(parts.count) parts → \(target)/\(Manifest.fileName): \(splits.joined(separator: ", ")); \(manifest.classes.count) classes")
        } catch {
            throw commandFailure(error)
        }
        if json { FileHandle.standardOutput.write(Data(manifest.encoded())) }
    }

    /// The outputs of `features --shard I/N` workers.
    private func mergeFeatures(into target: String) throws {
        let merged: FeatureManifest
        do {
            let parts = try FeatureMerger.parts(in: folders)
            merged = try FeatureMerger.merge(parts, to: target)
            let splits = merged.splits.map { "\($0.name) \($0.count) rows" }.joined(separator: ", ")
            ReportLines.write("merge-manifests: \(parts.count) feature parts → \(target)/\(FeatureManifest.fileName): \(splits); \(merged.classes.count) classes")
        } catch {
            throw commandFailure(error)
        }
        if json { FileHandle.standardOutput.write(Data(merged.encoded())) }
    }
}
