import DatasetKit
import Foundation
import Testing

/// Every command reads a dataset tree the same way (`DatasetLayout`, `SplitName`).
@Suite struct LayoutCommandTests {
    /// Three classes of 10 JPEGs and one more in a stray subfolder `baklava/old/`: 31 images.
    static func strayTree(_ s: Scratch) -> String {
        for (k, c) in ["baklava", "churros", "donuts"].enumerated() {
            for i in 0..<10 { s.write("food/\(c)/\(i).jpg", PackCommandTests.jpeg(k * 10 + i)) }
        }
        s.write("food/baklava/old/x.jpg", PackCommandTests.jpeg(40))
        return s.path + "/food"
    }

    @Test func packAndStatsReadAStraySubfolderInItsClassAndSaySo() throws {
        let s = Scratch()
        let source = Self.strayTree(s)
        let pack = try CLI.run(["pack", source, "--to", s.path + "/shards", "--size", "16", "-q"])
        #expect(pack.status == 0, "\(pack.stderr)")
        #expect(pack.stderr.contains("warning: \(source)/baklava/old/x.jpg: in subfolder 'old' of class folder 'baklava'"), "\(pack.stderr)")
        let manifest = try Manifest(path: s.path + "/shards/manifest.json")
        #expect(manifest.splits.map(\.name) == ["train"] && manifest.splits.map(\.count) == [31])
        #expect(manifest.splits[0].classCounts == [11, 10, 10])

        let stats = try CLI.run(["stats", source, "--size", "8", "--json", "-q"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let report = try JSONDecoder().decode(DatasetStats.self, from: Data(stats.stdout.utf8))
        #expect(report.images == 31 && report.splits.map(\.name) == ["train"])
        #expect(report.skipped.map(\.path) == [source + "/baklava/old/x.jpg"])
    }

    @Test func aPackedFruits360TreeTrainsOnItsDefaultSplit() throws {
        let s = Scratch()
        for (label, name) in ["a", "b"].enumerated() {
            for i in 0..<6 { s.write("fruits/Training/\(name)/\(i).png", TrainCommandTests.picture(label, i)) }
            for i in 0..<2 { s.write("fruits/Test/\(name)/t\(i).png", TrainCommandTests.picture(label, 100 + i)) }
        }
        let pack = try CLI.run(["pack", s.path + "/fruits", "--to", s.path + "/shards", "--size", "16", "-q"])
        #expect(pack.status == 0, "\(pack.stderr)")
        let manifest = try Manifest(path: s.path + "/shards/manifest.json")
        #expect(manifest.splits.map(\.name) == ["test", "train"] && manifest.statistics.split == "train")
        let train = try CLI.run(["train", s.path + "/shards", "--to", s.path + "/model", "--epochs", "1", "--threads", "1", "-q"])
        #expect(train.status == 0, "\(train.stderr)")
        let evaluate = try CLI.run(["evaluate", s.path + "/model", s.path + "/shards", "--json"])
        #expect(evaluate.status == 0, "\(evaluate.stderr)")
    }
}
