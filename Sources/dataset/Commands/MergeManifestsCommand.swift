import ArgumentParser
import DatasetKit
import Foundation

struct MergeManifestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge-manifests",
        abstract: "Merge the part manifests of `pack --shard I/N` workers into the manifest.json readers use.",
        discussion: """
            Reads every manifest.wIofN.json in the folders, checks that all N parts are there, \
            come from the same pack settings (format, classes, labels, size, dtype, resize, \
            normalisation, shuffle seed, splits) and list files that are there with the sizes \
            recorded, then writes manifest.json and classes.txt: each split's shards in worker \
            order, counts summed, mean/std from the parts' exact pixel sums (as one run's). \
            A manifest.json already there is replaced, and shard files only it listed are \
            removed (as pack --overwrite does); a rerun writes the same manifest.

            Examples:
              dataset merge-manifests shards
              dataset merge-manifests node1/shards node2/shards --to shards
            """
    )

    @Argument(help: "Folder(s) the pack --shard workers wrote to.")
    var folders: [String]

    @Option(name: .customLong("to"), help: "Where manifest.json goes (default: the one folder given); shard files in other folders are hard-linked (or copied) there.")
    var destination: String?

    @Flag(help: "Print the merged manifest on stdout.")
    var json = false

    func validate() throws {
        guard !folders.isEmpty else { throw ValidationError("give the folder the pack --shard workers wrote to.") }
        for folder in folders where !FileIO.isDirectory(folder) { throw ValidationError("'\(folder)' is not a folder.") }
        if folders.count > 1 && destination == nil { throw ValidationError("--to is needed with several folders: where the merged pack goes.") }
    }

    func run() throws {
        let target = FileTree.normalise(destination ?? folders[0])
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
}
