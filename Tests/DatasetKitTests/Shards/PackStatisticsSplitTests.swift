import Foundation
import Testing
@testable import DatasetKit

/// `pack`'s mean/std come from the train split only: held-out images never shape normalisation.
@Suite struct PackStatisticsSplitTests {
    /// Bright `Training/` images, dark `Test/` images: mixing them would move the mean.
    static func fruits(_ folder: TemporaryFolder, splits: [String] = ["Training", "Test"]) -> String {
        for (s, split) in splits.enumerated() {
            let fill = RGBColor(gray: s == 0 ? 220 : 20)
            for (c, name) in ["apple", "pear"].enumerated() {
                folder.write("fruits/\(split)/\(name)/\(c).png", PackFixtures.png(RGBImage(width: 8, height: 8, fill: fill)))
            }
        }
        return folder.path + "/fruits"
    }

    @Test func fruits360PacksTrainAndTestWithTrainStatistics() throws {
        let folder = TemporaryFolder()
        let report = try PackFixtures.run(PackFixtures.job(8, 8), source: Self.fruits(folder), to: folder.path + "/out")
        let manifest = try #require(report.manifest)
        #expect(manifest.splits.map(\.name) == ["test", "train"])
        #expect(manifest.statistics.split == "train")
        let train = try #require(manifest.splits.first { $0.name == "train" })
        #expect(manifest.statistics.mean == train.mean && manifest.statistics.std == train.std)
        #expect(abs(manifest.statistics.mean[0] - 220.0 / 255) < 1e-9)
    }

    @Test func withoutATrainSplitNoStatisticsAndDatasetNormalisationIsRefused() throws {
        let folder = TemporaryFolder()
        let source = Self.fruits(folder, splits: ["Validation", "Test"])
        let report = try PackFixtures.run(PackFixtures.job(8, 8), source: source, to: folder.path + "/out")
        let manifest = try #require(report.manifest)
        #expect(manifest.splits.map(\.name) == ["test", "val"])
        #expect(manifest.statistics.split == "none" && manifest.statistics.mean == [0, 0, 0])
        #expect(report.summary.warnings.contains { $0.path == source && $0.reason.contains("no train split (splits: test, val)") })

        var job = PackFixtures.job(8, 8)
        job.normalization = .dataset
        #expect(throws: PackError.noTrainSplit(folder: source, splits: ["test", "val"])) {
            try PackFixtures.run(job, source: source, to: folder.path + "/dataset")
        }
    }
}
