import DatasetKit
import Foundation
import Testing

@Suite struct AugmentCommandTests {
    /// A distinct small JPEG per `seed`.
    static func photo(_ seed: Int, width: Int = 48, height: Int = 36, png: Bool = false) -> [UInt8] {
        let image = RGBImage(width: width, height: height) { p in
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    p[i] = UInt8((x * 5 + seed * 40) % 256); p[i + 1] = UInt8((y * 7 + seed * 13) % 256); p[i + 2] = UInt8((x + y + seed * 3) % 256)
                }
            }
        }
        return try! ImageEncoder.encode(image, as: png ? .png(compressionLevel: 1) : .jpeg(quality: 90, subsampling: .s420))
    }

    static let tutorial = ["--rotation-range", "40", "--width-shift-range", "0.2", "--height-shift-range", "0.2",
                           "--shear-range", "0.2", "--zoom-range", "0.2", "--horizontal-flip", "--fill-mode", "nearest"]

    struct Summary: Decodable {
        var done: Int, skipped: Int, failed: Int
        var classes: [ClassCount]
        var failures: [Problem]
    }

    static func summary(_ r: CLIResult) throws -> Summary { try JSONDecoder().decode(Summary.self, from: Data(r.stdout.utf8)) }

    /// Scratch with classes a (3 images), b (8) and c (2).
    static func classes() -> Scratch {
        let s = Scratch()
        for i in 0..<3 { s.write("src/a/\(i).jpg", photo(i)) }
        for i in 0..<8 { s.write("src/b/\(i).jpg", photo(10 + i)) }
        for i in 0..<2 { s.write("src/c/\(i).jpg", photo(20 + i)) }
        return s
    }

    @Test func everyClassEndsWithExactlyTheSize() throws {
        let s = Self.classes()
        let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--class-size", "6", "--json", "-q"] + Self.tutorial)
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try Self.summary(r)
        #expect(summary.classes.map(\.name) == ["a", "b", "c"])
        #expect(summary.classes.map(\.images) == [6, 8, 6])
        #expect(summary.classes.map(\.copies) == [3, 0, 4])
        #expect(s.files("out/a").count == 6 && s.files("out/b").count == 8 && s.files("out/c").count == 6)
        #expect(s.files("out/c") == ["0.jpg", "0_aug1.jpg", "0_aug2.jpg", "1.jpg", "1_aug1.jpg", "1_aug2.jpg"])
        #expect(s.read("out/a/0.jpg") == s.read("src/a/0.jpg"))            // originals copied as they are
        #expect(r.stderr.contains("augment: a: 6 images (3 originals, 3 copies)"))
        for name in s.files("out/a") {
            let decoded = try ImageDecoder.decode(s.read("out/a/" + name))
            #expect(decoded.image.width == 48 && decoded.image.height == 36)
        }
    }

    @Test func capSamplesDownAndNoOriginalsLeavesThemOut() throws {
        let s = Self.classes()
        let capped = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/capped", "--class-size", "5", "--cap", "--json", "-q"] + Self.tutorial)
        #expect(try Self.summary(capped).classes.map(\.images) == [5, 5, 5])
        #expect(s.files("capped/b").count == 5 && s.files("capped/b").allSatisfy { !$0.contains("_aug") })
        let copies = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/copies", "--class-size", "5", "--no-originals", "-q"] + Self.tutorial)
        #expect(copies.status == 0)
        for c in ["a", "b", "c"] { #expect(s.files("copies/" + c).count == 5 && s.files("copies/" + c).allSatisfy { $0.contains("_aug") }) }
    }

    @Test func sameSeedSameBytesWhateverTheJobs() throws {
        let s = Self.classes()
        let flags = Self.tutorial + ["--brightness-range", "0.7,1.3", "--channel-shift-range", "30", "--class-size", "7", "-q"]
        #expect(try CLI.run(["augment", s.path + "/src", "--to", s.path + "/one", "--jobs", "1"] + flags).status == 0)
        #expect(try CLI.run(["augment", s.path + "/src", "--to", s.path + "/four", "--jobs", "4"] + flags).status == 0)
        #expect(s.files("one") == s.files("four") && s.files("one").count == 22)
        for name in s.files("one") { #expect(s.read("one/" + name) == s.read("four/" + name), "\(name)") }
        #expect(try CLI.run(["augment", s.path + "/src", "--to", s.path + "/other", "--seed", "2"] + flags).status == 0)
        #expect(s.read("other/a/0_aug1.jpg") != s.read("one/a/0_aug1.jpg"))
    }

    @Test func rerunSkipsFinishedCopiesAndFinishesTheRest() throws {
        let s = Self.classes()
        let args = ["augment", s.path + "/src", "--to", s.path + "/out", "--copies", "2", "--json", "-q"] + Self.tutorial
        #expect(try CLI.run(args).status == 0)
        let before = s.read("out/b/3_aug2.jpg")
        let again = try Self.summary(try CLI.run(args))
        #expect(again.done == 0 && again.skipped == 39)
        try FileManager.default.removeItem(atPath: s.path + "/out/b/3_aug2.jpg")
        let third = try Self.summary(try CLI.run(args))
        #expect(third.done == 1 && third.skipped == 38)
        #expect(s.read("out/b/3_aug2.jpg") == before)
    }

    @Test func replayMakesTheSameBytes() throws {
        let s = Self.classes()
        let made = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--class-size", "6", "--log", s.path + "/p.jsonl",
                                "--brightness-range", "0.5,1.5", "--fill-mode", "reflect", "--format", "png", "-q"] + Self.tutorial.dropLast(2))
        #expect(made.status == 0, "\(made.stderr)")
        let lines = String(decoding: s.read("p.jsonl"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 20 && lines.sorted() == lines)
        #expect(lines[0].contains("\"params\":null") && lines[1].contains("\"theta\""))
        let replayed = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/again", "--replay", s.path + "/p.jsonl",
                                    "--format", "png", "--log", s.path + "/p2.jsonl", "-q"])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        #expect(s.files("again") == s.files("out"))
        for name in s.files("out") { #expect(s.read("again/" + name) == s.read("out/" + name), "\(name)") }
        #expect(s.read("p2.jsonl") == s.read("p.jsonl"))
        s.write("bad.jsonl", Array("{\"source\": \"a/0.jpg\"}\n".utf8))
        let bad = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/x", "--replay", s.path + "/bad.jsonl", "-q"])
        #expect(bad.status != 0 && bad.stderr.contains("bad.jsonl:1"))
    }

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Self.classes()
        let cases: [([String], String)] = [
            (["--class-size", "5", "--rotation-range", "-10"], "--rotation-range"),
            (["--class-size", "5", "--brightness-range", "1.2,0.8"], "--brightness-range"),
            (["--class-size", "5", "--brightness-range", "1.2"], "--brightness-range"),
            (["--class-size", "5", "--fill-mode", "mirror"], "--fill-mode"),
            (["--class-size", "5", "--zoom-range", "1.5"], "--zoom-range"),
            (["--class-size", "5", "--zoom-range", "1.2,0.8"], "--zoom-range"),
            (["--class-size", "5", "--width-shift-range", "wide"], "--width-shift-range"),
            (["--class-size", "5", "--height-shift-range", "-0.2"], "--height-shift-range"),
            (["--class-size", "5", "--shear-range", "-1"], "--shear-range"),
            (["--class-size", "5", "--channel-shift-range", "-3"], "--channel-shift-range"),
            (["--class-size", "5", "--cval", "256"], "--cval"),
            (["--class-size", "0"], "--class-size"),
            (["--copies", "0"], "--copies"),
            (["--class-size", "5", "--copies", "2"], "--class-size"),
            ([], "--class-size"),
            (["--copies", "2", "--cap"], "--cap"),
            (["--class-size", "5", "--jobs", "0"], "--jobs"),
            (["--class-size", "5", "--replay", s.path + "/none.jsonl"], "--replay"),
        ]
        for (extra, flag) in cases {
            let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out"] + extra)
            #expect(r.status == 64, "\(extra): \(r.stderr)")
            #expect(r.stderr.contains(flag), "\(extra): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }

    @Test func unreadableImagesAreReportedAndTheClassStillReachesItsSize() throws {
        let s = Self.classes()
        s.write("src/a/3-truncated.jpg", Array(Self.photo(9).prefix(200)))
        s.write("src/a/4-empty.jpg", [])
        s.write("src/a/notes.txt", Array("not an image".utf8))
        let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--class-size", "8", "--json", "-q"] + Self.tutorial)
        #expect(r.status == 1)
        #expect(r.stderr.contains("a/3-truncated.jpg: truncated JPEG") && r.stderr.contains("a/4-empty.jpg: empty file"))
        #expect(r.stderr.contains("augment: a: 8 images (3 originals, 5 copies, 2 unreadable left out)"))
        let summary = try Self.summary(r)
        let a = summary.classes[0]
        #expect(a.originals == 5 && a.unreadable == 2 && a.images == 8 && summary.failed == 2)
        #expect(s.files("out/a").count == 8 && !s.files("out/a").contains { $0.hasPrefix("3-") || $0.hasPrefix("4-") })
        // The same on a rerun, from one worker: the plan does not depend on which failure came first.
        let rerun = try Self.summary(try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--class-size", "8",
                                                  "--json", "-q", "--jobs", "1"] + Self.tutorial))
        #expect(rerun.skipped == 24 && rerun.done == 0 && rerun.failed == 2)
    }

    @Test func labelsCSVInputGetsACSVOfItsOutputs() throws {
        let s = Scratch()
        for i in 0..<3 { s.write("imgs/p\(i).png", Self.photo(i, png: true)) }
        s.write("imgs/stray.png", Self.photo(7, png: true))
        s.write("train.csv", Array("image_id,label\r\np0,milk\r\np1,milk\r\np2,eggs\r\nmissing,eggs\r\n".utf8))
        let r = try CLI.run(["augment", s.path + "/imgs", "--labels", s.path + "/train.csv", "--to", s.path + "/out",
                             "--class-size", "4", "--json", "-q"] + Self.tutorial)
        #expect(r.status == 1)     // the row naming no image
        let summary = try Self.summary(r)
        #expect(summary.classes.map(\.name) == ["milk", "eggs"] && summary.classes.map(\.images) == [4, 4])
        #expect(r.stderr.contains("missing"))
        #expect(s.files("out").filter { $0.hasSuffix(".jpg") }.count == 8 && !s.files("out").contains("stray.jpg"))
        let csv = String(decoding: s.read("out/train.csv"), as: UTF8.self)
        #expect(csv.hasPrefix("image_id,label\np0,milk\np0_aug1,milk\n"))
        #expect(csv.split(separator: "\n").count == 9 && csv.contains("p2_aug3,eggs"))
        // The output reads back as a labels CSV: to-folders finds every id.
        let back = try CLI.run(["labels", "to-folders", s.path + "/out/train.csv", "--images", s.path + "/out", "--to", s.path + "/folders", "-q"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(s.files("folders/milk").count == 4)
    }

    @Test func nanonetsCopiesCarryTheirAnnotation() throws {
        let s = Scratch()
        for (i, labels) in ["soups\nmeat\n", "dessert\n"].enumerated() {
            s.write("ml/ImageSets/\(i).jpg", Self.photo(i))
            s.write("ml/Annotations/\(i).txt", Array(labels.utf8))
        }
        s.write("ml/classes.txt", Array("soups\nmeat\ndessert\n".utf8))
        let r = try CLI.run(["augment", s.path + "/ml", "--to", s.path + "/out", "--copies", "2", "-q"] + Self.tutorial)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("out/ImageSets") == ["0.jpg", "0_aug1.jpg", "0_aug2.jpg", "1.jpg", "1_aug1.jpg", "1_aug2.jpg"])
        #expect(s.files("out/Annotations") == ["0.txt", "0_aug1.txt", "0_aug2.txt", "1.txt", "1_aug1.txt", "1_aug2.txt"])
        #expect(s.read("out/Annotations/0_aug2.txt") == s.read("ml/Annotations/0.txt"))
        #expect(String(decoding: s.read("out/classes.txt"), as: UTF8.self) == "soups\nmeat\ndessert\n")
        let matrix = String(decoding: s.read("out/labels.csv"), as: UTF8.self)
        #expect(matrix.hasPrefix("filename,soups,meat,dessert\n0.jpg,1,1,0\n0_aug1.jpg,1,1,0\n"))
        #expect(matrix.contains("1_aug2.jpg,0,0,1"))
        let sized = try CLI.run(["augment", s.path + "/ml", "--to", s.path + "/x", "--class-size", "4"])
        #expect(sized.status == 64 && sized.stderr.contains("--copies"))
    }

    @Test func sizeResizesEveryOutputAndFormatsFollowTheFlags() throws {
        let s = Self.classes()
        s.write("src/c/2.png", Self.photo(30, png: true))
        let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--copies", "1", "--size", "32x24", "--format", "keep", "-q"] + Self.tutorial)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("out/c") == ["0.jpg", "0_aug1.jpg", "1.jpg", "1_aug1.jpg", "2.png", "2_aug1.png"])
        for name in s.files("out/c") {
            let decoded = try ImageDecoder.decode(s.read("out/c/" + name))
            #expect(decoded.image.width == 32 && decoded.image.height == 24)
            #expect(decoded.format == (name.hasSuffix("png") ? .png : .jpeg))
        }
    }

    @Test func splitsAugmentsOnlyTheNamedSplitAndCarriesTestThrough() throws {
        let s = Scratch()
        for i in 0..<3 { s.write("src/train/a/\(i).jpg", Self.photo(i)) }
        for i in 0..<2 { s.write("src/test/a/\(i).jpg", Self.photo(30 + i)) }
        s.write("src/classes.txt", Array("a\n".utf8))
        let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--splits", "train", "--class-size", "5", "--json", "-q"]
                            + Self.tutorial)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("out/train/a").count == 5)
        #expect(s.files("out/test/a") == ["0.jpg", "1.jpg"])
        #expect(s.read("out/test/a/1.jpg") == s.read("src/test/a/1.jpg"))
        #expect(s.read("out/classes.txt") == Array("a\n".utf8))
        #expect(try Self.summary(r).classes.map(\.images) == [2, 5])

        let unknown = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/x", "--splits", "training", "--copies", "1"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--splits: 'training' is not a folder"))
    }
}

