#if canImport(Glibc)
import Glibc
#endif
import DatasetKit
import Foundation
import Testing

/// `dataset split` as a user runs it.
@Suite struct SplitCommandTests {
    static let foodClasses = ["apple_pie", "cheesecake", "cheese_plate", "pizza"]

    /// `data/food-101` with 6 train + 2 test images per class (JSON lists; CRLF classes.txt).
    func food101(_ s: Scratch, classes: [String] = foodClasses) {
        var train: [String: [String]] = [:], test: [String: [String]] = [:]
        for c in classes {
            for i in 0..<8 {
                let entry = "\(c)/\(1000 + i)"
                s.write("data/food-101/images/\(entry).jpg", Array(entry.utf8))
                if i < 6 { train[c, default: []].append(entry) } else { test[c, default: []].append(entry) }
            }
        }
        s.write("data/food-101/meta/classes.txt", Array((classes.joined(separator: "\r\n") + "\r\n").utf8))
        s.write("data/food-101/meta/train.json", [UInt8](try! JSONSerialization.data(withJSONObject: train)))
        s.write("data/food-101/meta/test.json", [UInt8](try! JSONSerialization.data(withJSONObject: test)))
    }

    /// `flowers/<class>/<nnn>.jpg`.
    func flowers(_ s: Scratch, _ counts: [String: Int]) {
        for (c, n) in counts { for i in 0..<n { s.write("flowers/\(c)/\(String(format: "%03d", i)).jpg", Array("\(c)\(i)".utf8)) } }
    }

    func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    func report(_ s: Scratch, _ out: String = "out") throws -> SplitReport {
        try JSONDecoder().decode(SplitReport.self, from: Data(s.read(out + "/split.json")))
    }

    @Test func food101FirstClassesInTheDatasetsOrderHardLinkedByDefault() throws {
        let s = Scratch()
        food101(s)
        let r = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--first", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("hard-linking") && r.stderr.contains("split: 16 done"))
        #expect(String(decoding: s.read("out/classes.txt"), as: UTF8.self) == "apple_pie\ncheesecake\n")
        let report = try report(s)
        #expect(report.layout == .food101 && report.mode == .link && report.splits == ["train", "test"])
        #expect(report.counts == ["train": ["apple_pie": 6, "cheesecake": 6], "test": ["apple_pie": 2, "cheesecake": 2]])
        #expect(s.files("out").count == 18)
        #expect(inode(s.path + "/out/test/cheesecake/1007.jpg") == inode(s.path + "/data/food-101/images/cheesecake/1007.jpg"))
        // A rerun skips everything.
        let again = try CLI.run(["split", s.path + "/data/food-101", "--to", s.path + "/out", "--first", "2", "--json", "-q"])
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(again.stdout.utf8))
        #expect(again.status == 0 && summary.skipped == 16 && summary.done == 0)
    }

    @Test func copyAndSymlinkModes() throws {
        let s = Scratch()
        food101(s, classes: ["pizza"])
        #expect(try CLI.run(["split", s.path + "/data/food-101", "--to", s.path + "/copied", "--copy", "-q"]).status == 0)
        let copy = s.path + "/copied/train/pizza/1000.jpg"
        #expect(s.read("copied/train/pizza/1000.jpg") == Array("pizza/1000".utf8))
        #expect(inode(copy) != inode(s.path + "/data/food-101/images/pizza/1000.jpg"))
        #expect(try report(s, "copied").mode == .copy)
        #expect(try CLI.run(["split", s.path + "/data", "--to", s.path + "/linked", "--symlink", "-q"]).status == 0)
        let target = try FileManager.default.destinationOfSymbolicLink(atPath: s.path + "/linked/test/pizza/1007.jpg")
        #expect(target == "../../../data/food-101/images/pizza/1007.jpg")
        #expect(s.read("linked/test/pizza/1007.jpg") == Array("pizza/1007".utf8))
    }

    /// /dev/shm when it is another file system than the temporary folder.
    static let otherFileSystem: String? = {
        var a = stat(), b = stat()
        guard stat("/dev/shm", &a) == 0, access("/dev/shm", W_OK) == 0, stat(NSTemporaryDirectory(), &b) == 0,
              a.st_dev != b.st_dev else { return nil }
        return "/dev/shm"
    }()

    @Test(.enabled(if: otherFileSystem != nil, "needs a second file system (/dev/shm)"))
    func copiesByDefaultAcrossFileSystemsAndRefusesLinks() throws {
        let s = Scratch()
        food101(s, classes: ["pizza"])
        let remote = Self.otherFileSystem! + "/dataset-split-cli-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: remote) }
        let link = try CLI.run(["split", s.path + "/data", "--to", remote, "--link"])
        #expect(link.status == 64 && link.stderr.contains("different file systems"))
        let r = try CLI.run(["split", s.path + "/data", "--to", remote])
        #expect(r.status == 0 && r.stderr.contains("copying: the output is on another file system"))
        #expect(FileManager.default.contents(atPath: remote + "/train/pizza/1000.jpg") == Data("pizza/1000".utf8))
        let moved = try CLI.run(["split", s.path + "/data", "--to", remote + "-moved", "--move", "-q"])
        defer { try? FileManager.default.removeItem(atPath: remote + "-moved") }
        #expect(moved.status == 0 && s.files("data/food-101/images").isEmpty)
        #expect(FileManager.default.contents(atPath: remote + "-moved/test/pizza/1007.jpg") == Data("pizza/1007".utf8))
    }

    @Test func moveEmptiesTheImagesAndARerunIsClean() throws {
        let s = Scratch()
        food101(s)
        let r = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--move", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("data/food-101/images").isEmpty && s.files("out").count == 34)
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out/" + SplitJournal.fileName))
        let again = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--move", "--json", "-q"])
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(again.stdout.utf8))
        #expect(again.status == 0 && summary.skipped == 32 && summary.failed == 0)
    }

    @Test func interruptedRatioMoveIsFinishedFromItsJournal() throws {
        let s = Scratch()
        flowers(s, ["daisy": 10, "rose": 10, "tulip": 10])
        // Block 000.jpg of every class wherever the plan puts it, so the first run stops short.
        for split in ["train", "val", "test"] { for c in ["daisy", "rose", "tulip"] { s.write("out/\(split)/\(c)/000.jpg/x", [0]) } }
        let args = ["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.6,0.2,0.2", "--seed", "4", "--move", "-q"]
        let first = try CLI.run(args)
        #expect(first.status == 1 && first.stderr.contains("000.jpg"))
        #expect(s.files("flowers").count == 3 && FileManager.default.fileExists(atPath: s.path + "/out/" + SplitJournal.fileName))
        // Other options would plan a different split: refused while the move is unfinished.
        let other = try CLI.run(["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.5,0.5", "--move", "-q"])
        #expect(other.status == 64 && other.stderr.contains(SplitJournal.fileName))
        for split in ["train", "val", "test"] { for c in ["daisy", "rose", "tulip"] {
            try FileManager.default.removeItem(atPath: s.path + "/out/\(split)/\(c)/000.jpg")
        } }
        let rerun = try CLI.run(Array(args.dropLast()))
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stderr.contains("finishing the move"))
        #expect(s.files("flowers").isEmpty && s.files("out").count == 32)
        // Exactly the split planned at first: 6/2/2 per class, every file once.
        #expect(try report(s).counts == ["train": ["daisy": 6, "rose": 6, "tulip": 6], "val": ["daisy": 2, "rose": 2, "tulip": 2],
                                         "test": ["daisy": 2, "rose": 2, "tulip": 2]])
        for c in ["daisy", "rose", "tulip"] {
            let names = s.files("out").filter { $0.contains("/\(c)/") }.map { String($0.split(separator: "/").last!) }
            #expect(names.sorted() == (0..<10).map { String(format: "%03d.jpg", $0) })
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out/" + SplitJournal.fileName))
    }

    @Test func killedMoveLosesNothingAndARerunFinishesIt() throws {
        let s = Scratch()
        flowers(s, ["a": 600, "b": 600])
        let before = Set(s.files("flowers"))
        let args = ["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.8,0.2", "--move", "-q", "--jobs", "1"]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = args
        try process.run()
        // Kill it once the first files have moved (wherever it stops, every moment must be safe).
        let firstFolder = s.path + "/out/train/a"
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline
                && ((try? FileManager.default.contentsOfDirectory(atPath: firstFolder))?.isEmpty ?? true) { usleep(200) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let movedFirst = s.files("out").filter { $0.hasSuffix(".jpg") }.count
        #expect(process.terminationReason == .uncaughtSignal, "the run ended before it could be killed")
        // Nothing lost: every file is in the source or the output.
        let moved = s.files("out").filter { $0.hasSuffix(".jpg") }.map { String($0.split(separator: "/", maxSplits: 1)[1]) }
        #expect(Set(s.files("flowers")).union(moved) == before)
        let rerun = try CLI.run(args + ["--json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(rerun.stdout.utf8))
        #expect(summary.skipped == movedFirst && summary.done == 1200 - movedFirst)
        #expect(s.files("flowers").isEmpty)
        #expect(Set(s.files("out").filter { $0.hasSuffix(".jpg") }.map { String($0.split(separator: "/", maxSplits: 1)[1]) }) == before)
        #expect(try report(s).counts == ["train": ["a": 480, "b": 480], "test": ["a": 120, "b": 120]])
    }

    @Test func recipes5kKeepsItsThreeSplits() throws {
        let s = Scratch()
        var lists: [String: [String]] = [:]
        for c in ["ramen", "apple_pie"] {
            for i in 0..<4 {
                let path = "\(c)/\(i)_\(c)_hostedLargeUrl.jpg"
                s.write("Recipes5k/images/" + path, Array(path.utf8))
                lists[["train", "train", "val", "test"][i], default: []].append(path)
            }
        }
        for (split, paths) in lists { s.write("Recipes5k/annotations/\(split)_images.txt", Array((paths.joined(separator: "\r\n") + "\r\n\r\n").utf8)) }
        s.write("Recipes5k/annotations/classes_Recipes5k.txt", Array("ramen\nramen\napple_pie\n".utf8))
        let r = try CLI.run(["split", s.path, "--to", s.path + "/out", "--copy", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("out/val") == ["apple_pie/2_apple_pie_hostedLargeUrl.jpg", "ramen/2_ramen_hostedLargeUrl.jpg"])
        #expect(try report(s).splits == ["train", "val", "test"] && report(s).layout == .recipes5k)
        #expect(String(decoding: s.read("out/classes.txt"), as: UTF8.self) == "ramen\napple_pie\n")
    }

    @Test func ratiosOnAFolderTreeAreStratifiedAndSeeded() throws {
        let s = Scratch()
        flowers(s, ["daisy": 20, "rose": 10])
        func run(_ out: String, seed: String) throws -> [String] {
            let r = try CLI.run(["split", s.path + "/flowers", "--to", s.path + "/" + out, "--ratios", "0.8,0.1,0.1", "--seed", seed, "-q"])
            #expect(r.status == 0, "\(r.stderr)")
            return s.files(out)
        }
        let a = try run("a", seed: "3"), b = try run("b", seed: "3"), c = try run("c", seed: "9")
        #expect(a == b && a != c)
        #expect(try report(s, "a").counts == ["train": ["daisy": 16, "rose": 8], "val": ["daisy": 2, "rose": 1], "test": ["daisy": 2, "rose": 1]])
        #expect(try report(s, "a").ratios == [0.8, 0.1, 0.1] && report(s, "a").seed == 3)
        #expect(String(decoding: s.read("a/classes.txt"), as: UTF8.self) == "daisy\nrose\n")
    }

    @Test func valFractionCarvesFromTrain() throws {
        let s = Scratch()
        food101(s, classes: ["pizza", "ramen"])
        let r = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--val-fraction", "0.5", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try report(s).counts == ["train": ["pizza": 3, "ramen": 3], "val": ["pizza": 3, "ramen": 3], "test": ["pizza": 2, "ramen": 2]])
        #expect(try report(s).validationFraction == 0.5)
    }

    @Test func dryRunPrintsThePlanAndWritesNothing() throws {
        let s = Scratch()
        food101(s)
        let r = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--move", "--dry-run"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("train  24 files; 6 per class") && r.stdout.contains("test   8 files"))
        #expect(r.stdout.contains("images/apple_pie/1000.jpg -> ") && r.stdout.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
        #expect(s.files("data/food-101/images").count == 32)
        let json = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--dry-run", "--json", "--ratios", "0.5,0.5"])
        let report = try JSONDecoder().decode(SplitReport.self, from: Data(json.stdout.utf8))
        #expect(report.totals == ["train": 16, "test": 16] && report.classes == Self.foodClasses)
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }

    @Test func missingUnlistedAndDuplicateEntriesAreReported() throws {
        let s = Scratch()
        food101(s, classes: ["pizza"])
        try FileManager.default.removeItem(atPath: s.path + "/data/food-101/images/pizza/1001.jpg")
        s.write("data/food-101/images/pizza/stray.jpg", [1])
        s.write("data/food-101/meta/test.json", Array(#"{"pizza": ["pizza/1006", "pizza/1007", "pizza/1000"]}"#.utf8))
        let r = try CLI.run(["split", s.path + "/data", "--to", s.path + "/out", "--json", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("images/pizza/1001.jpg: listed in meta/train.json but not found"))
        #expect(r.stderr.contains("images/pizza/stray.jpg: in no split list"))
        #expect(r.stderr.contains("images/pizza/1000.jpg: listed in meta/train.json and again in meta/test.json"))
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(r.stdout.utf8))
        #expect(summary.done == 7 && summary.failed == 1 && summary.warnings.count == 2)
        #expect(try report(s).problems == ["missing": 1, "unlisted": 1, "duplicate": 1])
        // --strict refuses to start on a plan with missing files.
        let strict = try CLI.run(["split", s.path + "/data", "--to", s.path + "/strict", "--strict", "-q"])
        #expect(strict.status == 1 && strict.stderr.contains("missing") && !FileManager.default.fileExists(atPath: s.path + "/strict"))
    }

    @Test func badArgumentsNameTheFlag() throws {
        let s = Scratch()
        food101(s)
        flowers(s, ["daisy": 3])
        let cases: [([String], String)] = [
            (["data", "--ratios", "0.8,0.3"], "--ratios"),
            (["data", "--ratios", "0.8,0.1,0.1", "--val-fraction", "0.1"], "--val-fraction"),
            (["data", "--val-fraction", "1.5"], "--val-fraction"),
            (["data", "--copy", "--move"], "--move"),
            (["data", "--link", "--symlink"], "--symlink"),
            (["data", "--classes", "pizza", "--first", "2"], "--first"),
            (["data", "--first", "0"], "--first"),
            (["data", "--first", "9"], "--first 9"),
            (["data", "--classes", "chesecake,pizza"], "did you mean cheesecake"),
            (["data", "--from", "recipes"], "--from"),
            (["flowers"], "--ratios"),
            (["nope"], "not a folder"),
        ]
        for (args, expected) in cases {
            let r = try CLI.run(["split", s.path + "/" + args[0], "--to", s.path + "/out"] + args.dropFirst())
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
        }
        let layoutMismatch = try CLI.run(["split", s.path + "/flowers", "--to", s.path + "/out", "--from", "food101"])
        #expect(layoutMismatch.status == 1 && layoutMismatch.stderr.contains("not a Food-101 folder"))
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }
}
