import Foundation
import Testing
@testable import DatasetKit

@Suite struct ManifestMergerTests {
    @Test func recognisesOnlyPartFileNames() {
        for name in ["manifest.w0of3.json", "manifest.w07of12.json"] { #expect(ManifestMerger.isPartName(name), "\(name)") }
        for name in ["manifest.json", "manifest.w0of.json", "manifest.wof3.json", "manifest.w1of3.json.tmp", "manifest.w1o3.json", "classes.txt"] {
            #expect(!ManifestMerger.isPartName(name), "\(name)")
        }
    }

    /// Two workers' float32 `dataset` packs: the fixed normalisation comes from the whole input
    /// in both, and the merge keeps it; the merged statistics equal one run's exactly.
    @Test func partsMergeToOneRunsManifest() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        var job = PackFixtures.job(shardSize: 2)
        job.dtype = .float32
        job.normalization = .dataset
        let whole = try #require(try PackFixtures.run(job, source: source, to: folder.path + "/whole").manifest)
        var parts: [Manifest] = []
        for i in 0..<2 {
            job.shard = try WorkShard(index: i, count: 2)
            let report = try PackFixtures.run(job, source: source, to: folder.path + "/parts")
            let part = try #require(report.manifest)
            #expect(part.part?.shard == job.shard && part.normalization == whole.normalization)
            #expect(report.summary.shard?.items == part.splits.reduce(0) { $0 + $1.count })
            parts.append(part)
        }
        #expect(parts.map { $0.classes } == [whole.classes, whole.classes])
        let located = try ManifestMerger.parts(in: [folder.path + "/parts"])
        #expect(located.map(\.fileName) == ["manifest.w0of2.json", "manifest.w1of2.json"])
        let merged = try ManifestMerger.merge(located)
        try ManifestMerger.checkFiles(located)
        var expected = whole
        expected.splits = zip(whole.splits, merged.splits).map { one, split in
            var copy = one
            copy.shards = split.shards
            return copy
        }
        #expect(merged == expected)
        #expect(merged.fileNames == parts[0].fileNames.filter { $0.hasPrefix("test") } + parts[1].fileNames.filter { $0.hasPrefix("test") }
                                      + parts[0].fileNames.filter { $0.hasPrefix("train") } + parts[1].fileNames.filter { $0.hasPrefix("train") })
    }

    @Test func aTruncatedShardFileIsNamed() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        var job = PackFixtures.job()
        for i in 0..<2 {
            job.shard = try WorkShard(index: i, count: 2)
            _ = try PackFixtures.run(job, source: source, to: folder.path + "/parts")
        }
        let located = try ManifestMerger.parts(in: [folder.path + "/parts"])
        let victim = try #require(located[1].manifest.fileNames.first)
        try FileIO.writeAtomically([1, 2, 3], to: folder.path + "/parts/" + victim)
        #expect(throws: ManifestMergeError.file(part: located[1].path, name: victim, reason: "has 3 bytes, not the \(located[1].manifest.splits.flatMap { $0.shards.flatMap(\.files) }.first!.bytes) recorded (written by another run?)")) {
            try ManifestMerger.checkFiles(located)
        }
    }
}
