import DatasetKit
import Foundation
import Testing

@Suite struct CleanCommandTests {
    @Test func reportsThenQuarantinesKeepingPaths() throws {
        let s = Scratch()
        PackCommandTests.dataset(s)
        s.write("src/test/c/copy.jpg", PackCommandTests.jpeg(0))  // the same bytes as train/a/0.jpg
        s.write("src/train/a/empty.jpg", [])
        let report = try CLI.run(["clean", s.path + "/src", "--json", "-q"])
        #expect(report.status == 0, "\(report.stderr)")
        struct Report: Decodable { var checked: Int; var counts: [String: Int]; var findings: [CleanFinding] }
        let parsed = try JSONDecoder().decode(Report.self, from: Data(report.stdout.utf8))
        #expect(parsed.checked == 14 && parsed.counts == ["truncated": 1, "zero-byte": 1, "leak": 1])
        #expect(s.files("src").count == 14)
        #expect(try CLI.run(["clean", s.path + "/src", "-q", "--strict"]).status == 1)
        let moved = try CLI.run(["clean", s.path + "/src", "--quarantine", s.path + "/q", "-q"])
        #expect(moved.status == 0 && moved.stdout.contains("leak") && moved.stderr.contains("3 moved"))
        #expect(s.files("q") == ["test/c/copy.jpg", "train/a/empty.jpg", "train/c/broken.jpg"])
        #expect(s.files("src").count == 11)
        #expect(try CLI.run(["clean", s.path + "/src", "-q", "--strict"]).status == 0)
    }

    @Test func fixNeedsAQuarantine() throws {
        let s = Scratch()
        PackCommandTests.dataset(s)
        let r = try CLI.run(["clean", s.path + "/src", "--fix"])
        #expect(r.status == 64 && r.stderr.contains("--quarantine"))
        #expect(try CLI.run(["clean", s.path + "/src", "--dedupe", "fuzzy"]).status == 64)
    }
}
