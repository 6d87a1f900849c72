import DatasetKit
import Foundation
import Testing

/// `pack --shard I/N` + `merge-manifests`: the merged pack has the rows, counts and statistics
/// of one run (shard boundaries differ, so rows are compared by source image).
@Suite struct ShardPackTests {
    static let workers = ShardCommandTests.workers

    /// source path → (pixels, label) of every row of every split, from a pack's manifest.
    static func rows(_ folder: String) throws -> [String: ([UInt8], Int64)] {
        let manifest = try Manifest(path: folder + "/manifest.json")
        var rows: [String: ([UInt8], Int64)] = [:]
        for split in manifest.splits {
            for shard in split.shards {
                let name = { (role: String) in shard.files.first { $0.role == role }!.name }
                let images = try NPYReader(path: folder + "/" + name("images"))
                let labels = try NPYReader(path: folder + "/" + name("labels")).int64Values()
                let sources = String(decoding: try FileIO.read(folder + "/" + name("sources")), as: UTF8.self).split(separator: "\n")
                #expect(sources.count == images.rowCount && labels.count == images.rowCount)
                let pixels = images.uint8Values(), size = images.rowByteCount
                for (i, source) in sources.enumerated() {
                    #expect(rows[String(source)] == nil, "\(source) packed twice")
                    rows[String(source)] = (Array(pixels[i * size..<(i + 1) * size]), labels[i])
                }
            }
        }
        return rows
    }

    static func pack(_ s: Scratch, to folder: String, _ extra: [String] = []) throws -> CLIResult {
        try CLI.run(["pack", s.path + "/src", "--to", s.path + "/" + folder, "--size", "12x10", "--shard-size", "2",
                     "--normalize", "dataset", "--shuffle", "--seed", "4", "-q"] + extra)
    }

    @Test func workersAndMergeGiveOneRunsRowsCountsAndStatistics() throws {
        let s = Scratch()
        ShardCommandTests.dataset(s)
        s.write("src/train/c/broken.jpg", Array(PackCommandTests.jpeg(3).prefix(100)))
        // A class only one split has: every worker's class list must still be the whole one.
        s.write("src/train/d/only.jpg", PackCommandTests.jpeg(40))
        #expect(try Self.pack(s, to: "whole").status == 1)
        var failed = 0
        for i in 0..<Self.workers {
            let r = try Self.pack(s, to: "parts", ["--shard", "\(i)/\(Self.workers)", "--json"])
            let summary = try JSONDecoder().decode(RunSummary.self, from: Data(r.stdout.utf8))
            #expect(summary.shard?.shard.description == "\(i)/\(Self.workers)" && summary.shard?.total == 18)
            failed += summary.failed
            #expect(!FileManager.default.fileExists(atPath: s.path + "/parts/manifest.json"))
            #expect(FileManager.default.fileExists(atPath: s.path + "/parts/manifest.w\(i)of\(Self.workers).json"))
        }
        #expect(failed == 1, "the broken image is reported by exactly one worker")
        #expect(s.files("parts").filter { $0.hasSuffix(".images.npy") }.allSatisfy { $0.contains("-w") && $0.contains("of3-") })
        let merge = try CLI.run(["merge-manifests", s.path + "/parts"])
        #expect(merge.status == 0, "\(merge.stderr)")
        let one = try Manifest(path: s.path + "/whole/manifest.json")
        let merged = try Manifest(path: s.path + "/parts/manifest.json")
        #expect(merged.part == nil && merged.classes == ["a", "b", "c", "d"] && merged.classes == one.classes)
        #expect(merged.splits.map(\.name) == one.splits.map(\.name))
        #expect(merged.splits.map(\.count) == one.splits.map(\.count))
        #expect(merged.splits.map(\.classCounts) == one.splits.map(\.classCounts))
        #expect(merged.splits.map(\.mean) == one.splits.map(\.mean) && merged.splits.map(\.std) == one.splits.map(\.std))
        #expect(merged.statistics == one.statistics && merged.normalization == one.normalization)
        let (wholeRows, partRows) = (try Self.rows(s.path + "/whole"), try Self.rows(s.path + "/parts"))
        #expect(wholeRows.count == 17)
        #expect(wholeRows.keys.sorted() == partRows.keys.sorted())
        for (source, row) in wholeRows { #expect(partRows[source]! == row, "\(source)") }
        // The trainer reads the merged pack.
        let train = try CLI.run(["train", s.path + "/parts", "--to", s.path + "/model", "--epochs", "1", "--batch-size", "4",
                                 "--threads", "1", "-q"])
        #expect(train.status == 0, "\(train.stderr)")
    }

    @Test func mergeRefusesMissingStaleAndInconsistentParts() throws {
        let s = Scratch()
        ShardCommandTests.dataset(s)
        // An earlier whole pack in the same folder: its shards must not outlive the merge.
        #expect(try Self.pack(s, to: "parts").status == 0)
        #expect(s.files("parts").contains("train-00000.images.npy"))
        for i in [0, 2] { #expect(try Self.pack(s, to: "parts", ["--shard", "\(i)/3"]).status == 0) }
        let missing = try CLI.run(["merge-manifests", s.path + "/parts"])
        #expect(missing.status == 1 && missing.stderr.contains("manifest.w1of3.json") && missing.stderr.contains("--shard 1/3"), "\(missing.stderr)")
        #expect(try Manifest(path: s.path + "/parts/manifest.json").fileNames.contains("train-00000.images.npy"), "a failed merge changes nothing")

        #expect(try Self.pack(s, to: "parts", ["--shard", "1/3", "--size", "14x10"]).status == 0)
        let inconsistent = try CLI.run(["merge-manifests", s.path + "/parts"])
        #expect(inconsistent.status == 1 && inconsistent.stderr.contains("manifest.w1of3.json") && inconsistent.stderr.contains("image layout"),
                "\(inconsistent.stderr)")

        #expect(try Self.pack(s, to: "parts", ["--shard", "1/3", "--overwrite"]).status == 0)
        #expect(try CLI.run(["merge-manifests", s.path + "/parts"]).status == 0)
        let merged = try Manifest(path: s.path + "/parts/manifest.json")
        let shardFiles = s.files("parts").filter { $0.hasSuffix(".npy") || $0.hasSuffix(".files.txt") }
        #expect(shardFiles == merged.fileNames.sorted(), "only the merged pack's shards are left")

        #expect(try Self.pack(s, to: "parts", ["--shard", "0/2"]).status == 0)
        let stale = try CLI.run(["merge-manifests", s.path + "/parts"])
        #expect(stale.status == 1 && stale.stderr.contains("different N"), "\(stale.stderr)")

        let empty = try CLI.run(["merge-manifests", s.path + "/src"])
        #expect(empty.status == 1 && empty.stderr.contains("no part manifests"))
        #expect(try CLI.run(["merge-manifests", s.path + "/nope"]).status == 64)
    }

    @Test func workersOnSeparateDisksMergeIntoOneFolder() throws {
        let s = Scratch()
        ShardCommandTests.dataset(s)
        for i in 0..<2 { #expect(try Self.pack(s, to: "node\(i)", ["--shard", "\(i)/2", "--format", "webdataset"]).status == 0) }
        #expect(try CLI.run(["merge-manifests", s.path + "/node0", s.path + "/node1"]).status == 64)
        let r = try CLI.run(["merge-manifests", s.path + "/node0", s.path + "/node1", "--to", s.path + "/all"])
        #expect(r.status == 0, "\(r.stderr)")
        let merged = try Manifest(path: s.path + "/all/manifest.json")
        #expect(merged.splits.map(\.count) == [3, 13])
        for name in merged.fileNames { #expect(FileManager.default.fileExists(atPath: s.path + "/all/" + name), "\(name)") }
        #expect(merged.fileNames.contains("train-w0of2-000000.tar") && merged.fileNames.contains("train-w1of2-000000.tar"))
    }
}
