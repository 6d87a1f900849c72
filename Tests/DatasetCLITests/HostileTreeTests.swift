import DatasetKit
import Foundation
import Testing
import TestSupport

/// Trees with a folder that cannot be read, and file names holding control characters: every
/// command that lists a tree reports them, does the rest, and prints nothing a name can forge.
@Suite struct HostileTreeTests {
    /// `src/train/{a,b}/` with two good images each, and below `train/a/` a folder chain too deep
    /// to open (ENAMETOOLONG, which stops root too).
    static func treeWithUnreadableFolder(_ s: Scratch) -> String {
        for (k, c) in ["a", "b"].enumerated() { for i in 0..<2 { s.write("src/train/\(c)/\(i).jpg", PackCommandTests.jpeg(k * 2 + i)) } }
        DeepFolder.make(at: s.path + "/src/train/a/deep")
        return s.path + "/src/train/a/deep/"
    }

    /// The one error line naming the unreadable folder.
    static func unreadableLine(_ stderr: String, under deep: String) -> String? {
        stderr.split(separator: "\n").first { $0.hasPrefix("error: " + deep) && $0.contains(": cannot read folder: File name too long") }.map(String.init)
    }

    @Test func anUnreadableSubfolderIsReportedAndTheRestOfTheRunIsDone() throws {
        let s = Scratch()
        let deep = Self.treeWithUnreadableFolder(s)
        defer { DeepFolder.remove(s.path + "/src") }
        let src = s.path + "/src"

        let resize = try CLI.run(["resize", src, "--to", s.path + "/resized", "--size", "16"])
        #expect(resize.status == 1 && Self.unreadableLine(resize.stderr, under: deep) != nil, "\(resize.stderr)")
        #expect(resize.stderr.contains("resize: 4 done, 1 failed"), "\(resize.stderr)")
        #expect(s.files("resized") == ["train/a/0.jpg", "train/a/1.jpg", "train/b/0.jpg", "train/b/1.jpg"])

        let pack = try CLI.run(["pack", src, "--to", s.path + "/packed", "--size", "8", "-q"])
        #expect(pack.status == 1 && Self.unreadableLine(pack.stderr, under: deep) != nil, "\(pack.stderr)")
        #expect(try Manifest(path: s.path + "/packed/manifest.json").splits.map(\.count) == [4])

        let augment = try CLI.run(["augment", src, "--to", s.path + "/augmented", "--copies", "1", "-q"])
        #expect(augment.status == 1 && Self.unreadableLine(augment.stderr, under: deep) != nil, "\(augment.stderr)")
        #expect(s.files("augmented").count == 8, "\(s.files("augmented"))")

        let split = try CLI.run(["split", src, "--to", s.path + "/split", "-q"])
        #expect(split.status == 1 && split.stderr.contains(": cannot read folder: File name too long"), "\(split.stderr)")
        #expect(s.files("split").filter { $0.hasSuffix(".jpg") }.count == 4, "\(s.files("split"))")

        let stats = try CLI.run(["stats", src, "--size", "8", "-q"])
        #expect(stats.status == 1 && Self.unreadableLine(stats.stderr, under: deep) != nil, "\(stats.stderr)")
        #expect(stats.stdout.contains("train: 4 images, 0 corrupt"), "\(stats.stdout)")

        s.write("ids.csv", Array("image_id,label\ntrain/a/0,x\ntrain/b/1,y\n".utf8))
        let labels = try CLI.run(["labels", "to-folders", s.path + "/ids.csv", "--images", src, "--to", s.path + "/labelled", "-q"])
        #expect(labels.status == 1 && Self.unreadableLine(labels.stderr, under: deep) != nil, "\(labels.stderr)")
        #expect(s.files("labelled") == ["classes.txt", "x/train/a/0.jpg", "y/train/b/1.jpg"], "\(s.files("labelled"))")

        let clean = try CLI.run(["clean", src, "-q"])
        #expect(clean.status == 1 && Self.unreadableLine(clean.stderr, under: deep) != nil, "\(clean.stderr)")
        #expect(clean.stderr.contains("clean: 4 images checked") && clean.stderr.contains("1 unreadable"), "\(clean.stderr)")
    }

    /// A corrupt image whose name holds a newline, an escape sequence and a fake summary line.
    @Test func controlCharactersInFileNamesAreEscapedAndCannotForgeALine() throws {
        let s = Scratch()
        let evil = "x\nresize: 99 done, 0 failed\u{1B}[2J.jpg"
        s.write("src/train/a/0.jpg", PackCommandTests.jpeg(0))
        s.write("src/train/a/" + evil, Array("not a jpeg".utf8))
        let src = s.path + "/src"
        // Escaped, on one line (clean names files relative to the folder, the others in full).
        let shown = "train/a/x\\nresize: 99 done, 0 failed\\x1B[2J.jpg"

        for (command, extra) in [("resize", ["--to", s.path + "/out", "--size", "16"]), ("stats", ["--size", "8"]), ("clean", [])] {
            let r = try CLI.run([command, src, "-q"] + extra)
            let output = r.stdout + r.stderr
            #expect(!output.contains("\u{1B}") && !output.contains("\nresize: 99"), "\(command): \(output)")
            #expect(output.split(separator: "\n").contains { $0.contains(shown) }, "\(command): \(output)")
        }
        // --json keeps the exact name.
        let json = try CLI.run(["resize", src, "--to", s.path + "/out2", "--size", "16", "-q", "--json"])
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(json.stdout.utf8))
        #expect(summary.failures.map(\.path) == [src + "/train/a/" + evil])
        #expect(json.stderr.contains("error: " + src + "/" + shown + ": "), "\(json.stderr)")
    }
}
