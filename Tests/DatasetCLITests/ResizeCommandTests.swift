import DatasetKit
import Foundation
import Testing

@Suite struct ResizeCommandTests {
    static let photo = RGBImage(width: 90, height: 60) { p in
        for i in 0..<(90 * 60) { p[i * 3] = UInt8(i % 90 * 2); p[i * 3 + 1] = UInt8(i / 90 * 4); p[i * 3 + 2] = 99 }
    }
    static let jpeg = try! ImageEncoder.encode(photo, as: .jpeg(quality: 90, subsampling: .s420))
    static let png = try! ImageEncoder.encode(photo, as: .png(compressionLevel: 1))

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Scratch()
        s.write("src/a/x.jpg", Self.jpeg)
        let cases: [([String], String)] = [
            (["--size", "0x10"], "--size"),
            (["--size", "64", "--quality", "101"], "--quality"),
            (["--size", "64", "--mode", "squash"], "--mode"),
            (["--size", "64", "--jobs", "0"], "--jobs"),
            (["--size", "64", "--fill", "purpleish"], "--fill"),
        ]
        for (extra, flag) in cases {
            let r = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/out"] + extra)
            #expect(r.status == 64, "\(extra)")
            #expect(r.stderr.contains(flag), "\(extra): \(r.stderr)")
        }
        let missing = try CLI.run(["resize", s.path + "/nope", "--to", s.path + "/out", "--size", "64"])
        #expect(missing.status == 64 && missing.stderr.contains("not a folder"))
        let same = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/src", "--size", "64"])
        #expect(same.status == 64 && same.stderr.contains("--to"))
    }

    @Test func reportsBadFilesGoesOnAndExitsOne() throws {
        let s = Scratch()
        s.write("src/cat/good.jpg", Self.jpeg)
        s.write("src/cat/alpha.png", Self.png)
        s.write("src/cat/misnamed.jpg", Self.png)
        s.write("src/dog/truncated.jpg", Array(Self.jpeg.prefix(Self.jpeg.count / 3)))
        s.write("src/dog/empty.jpeg", [])
        s.write("src/dog/readme.txt", Array("not an image".utf8))
        let r = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/out", "--size", "32x24", "--json", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("dog/truncated.jpg: truncated JPEG"))
        #expect(r.stderr.contains("dog/empty.jpeg: empty file (0 bytes)"))
        #expect(r.stderr.contains("cat/misnamed.jpg: misnamed"))
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(r.stdout.utf8))
        #expect(summary.done == 3 && summary.failed == 2 && summary.warnings.count == 1)
        #expect(s.files("out") == ["cat/alpha.jpg", "cat/good.jpg", "cat/misnamed.jpg"])
        for name in s.files("out") {
            let decoded = try ImageDecoder.decode(s.read("out/" + name))
            #expect(decoded.format == .jpeg && decoded.image.width == 32 && decoded.image.height == 24)
        }
    }

    @Test func rerunSkipsAndStrictStops() throws {
        let s = Scratch()
        for i in 0..<5 { s.write("src/c/\(i).jpg", Self.jpeg) }
        let args = ["resize", s.path + "/src", "--to", s.path + "/out", "--size", "16", "-q"]
        #expect(try CLI.run(args).status == 0)
        let again = try CLI.run(args + ["--json"])
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(again.stdout.utf8))
        #expect(again.status == 0 && summary.skipped == 5 && summary.done == 0)
        s.write("src/c/0-bad.jpg", [1, 2, 3])
        let strict = try CLI.run(args + ["--strict", "--jobs", "1", "--overwrite"])
        #expect(strict.status == 1 && strict.stderr.contains("not attempted"))
    }

    @Test func writesPNGOrKeepsFormats() throws {
        let s = Scratch()
        s.write("src/c/a.jpg", Self.jpeg)
        s.write("src/c/b.png", Self.png)
        #expect(try CLI.run(["resize", s.path + "/src", "--to", s.path + "/png", "--size", "20", "--format", "png", "-q"]).status == 0)
        #expect(s.files("png") == ["c/a.png", "c/b.png"])
        #expect(try ImageDecoder.decode(s.read("png/c/a.png")).format == .png)
        #expect(try CLI.run(["resize", s.path + "/src", "--to", s.path + "/keep", "--size", "20", "--format", "keep", "-q"]).status == 0)
        #expect(s.files("keep") == ["c/a.jpg", "c/b.png"])
        #expect(try ImageDecoder.decode(s.read("keep/c/b.png")).format == .png)
    }

    @Test func sampleIsDeterministic() throws {
        let s = Scratch()
        for name in ["one", "two"] {
            let r = try CLI.run(["sample", "folders", "--to", s.path + "/" + name, "--classes", "2", "--per-class", "3", "--seed", "5", "-q"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(s.files("one").count == 6)
        for f in s.files("one") { #expect(s.read("one/" + f) == s.read("two/" + f)) }
    }
}
