import DatasetKit
import Foundation
import Testing

@Suite struct StatsCommandTests {
    @Test func jsonReportAndChart() throws {
        let s = Scratch()
        PackCommandTests.dataset(s)
        let r = try CLI.run(["stats", s.path + "/src", "--size", "8", "--json", "-q", "--chart", s.path + "/counts.svg"])
        #expect(r.status == 0, "\(r.stderr)")
        let stats = try JSONDecoder().decode(DatasetStats.self, from: Data(r.stdout.utf8))
        #expect(stats.images == 11 && stats.corrupt == 1 && stats.splits.map(\.name) == ["test", "train"])
        #expect(stats.splits[1].classes.map(\.count) == [3, 3, 3] && stats.splits[0].classes.map(\.count) == [1, 1, 0])
        #expect(stats.splits[1].width?.median == 48 && stats.splits[1].colorModes == ["rgb": 9])
        let svg = String(decoding: s.read("counts.svg"), as: UTF8.self)
        #expect(svg.hasPrefix("<svg") && svg.contains(">a<") && svg.contains(">test<"))
        let strict = try CLI.run(["stats", s.path + "/src", "--size", "8", "-q", "--strict"])
        #expect(strict.status == 1 && strict.stdout.contains("train: 9 images, 1 corrupt, imbalance ratio 1.00"))
        #expect(strict.stdout.contains("broken.jpg: truncated JPEG"))
    }

    @Test func rejectsAMissingFolder() throws {
        let r = try CLI.run(["stats", "/nonexistent/folder"])
        #expect(r.status == 64 && r.stderr.contains("not a folder"))
    }
}
