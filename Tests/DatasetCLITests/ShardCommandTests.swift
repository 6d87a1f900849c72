import DatasetKit
import Foundation
import Testing

/// `--shard I/N`: N local workers must write (or find) exactly what one run does, and no file twice.
@Suite struct ShardCommandTests {
    static let workers = 3

    /// train/{a: 6, b: 4, c: 3}, test/{a: 2, b: 1}; distinct JPEGs.
    static func dataset(_ s: Scratch, at folder: String = "src") {
        var seed = 0
        for (c, n) in [("a", 6), ("b", 4), ("c", 3)] {
            for i in 0..<n { s.write("\(folder)/train/\(c)/\(i).jpg", PackCommandTests.jpeg(seed)); seed += 1 }
        }
        for (c, n) in [("a", 2), ("b", 1)] {
            for i in 0..<n { s.write("\(folder)/test/\(c)/t\(i).jpg", PackCommandTests.jpeg(seed)); seed += 1 }
        }
    }

    /// Every file under `folder`, relative path → bytes.
    static func contents(_ s: Scratch, _ folder: String) -> [String: [UInt8]] {
        Dictionary(uniqueKeysWithValues: s.files(folder).map { ($0, s.read(folder + "/" + $0)) })
    }

    /// Runs `arguments` once whole into `whole`, and as N workers each into `part<I>`; checks
    /// the parts are disjoint and their union is the whole, byte for byte.
    static func expectWorkersMatchOneRun(_ s: Scratch, _ arguments: (_ destination: String) -> [String], expectedStatus: Int32 = 0) throws {
        let whole = try CLI.run(arguments(s.path + "/whole") + ["-q"])
        #expect(whole.status == expectedStatus, "\(whole.stderr)")
        var union: [String: [UInt8]] = [:]
        for i in 0..<workers {
            let r = try CLI.run(arguments(s.path + "/part\(i)") + ["-q", "--shard", "\(i)/\(workers)"])
            #expect(r.status == 0 || r.status == expectedStatus, "\(r.stderr)")
            #expect(r.stderr.contains("shard \(i)/\(workers): "), "\(r.stderr)")
            let part = contents(s, "part\(i)")
            #expect(Set(part.keys).isDisjoint(with: union.keys), "worker \(i) wrote another worker's file")
            union.merge(part) { a, _ in a }
        }
        let one = contents(s, "whole")
        #expect(!one.isEmpty)
        #expect(union.keys.sorted() == one.keys.sorted())
        #expect(one.keys.filter { union[$0] != one[$0] }.sorted() == [], "files with other bytes than one run's")
    }

    @Test func resizeWorkersWriteExactlyWhatOneRunWrites() throws {
        let s = Scratch()
        Self.dataset(s)
        try Self.expectWorkersMatchOneRun(s) { ["resize", s.path + "/src", "--to", $0, "--size", "20x14", "--format", "png"] }
    }

    @Test func augmentWorkersBalanceWholeClassesAndWriteTheSameBytes() throws {
        let s = Scratch()
        Self.dataset(s)
        try Self.expectWorkersMatchOneRun(s) {
            ["augment", s.path + "/src", "--to", $0, "--class-size", "8", "--rotation-range", "30", "--zoom-range", "0.2",
             "--horizontal-flip", "--seed", "5", "--size", "24x18"]
        }
        // Every class reached its size from the parts together.
        let a = s.files("part0").count + s.files("part1").count + s.files("part2").count
        #expect(a == 8 * 5)
    }

    @Test func augmentWorkersWriteTheirOwnLogParts() throws {
        let s = Scratch()
        Self.dataset(s)
        for i in 0..<Self.workers {
            let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--copies", "1", "--seed", "2", "--rotation-range", "10",
                                 "--log", s.path + "/params.jsonl", "--shard", "\(i)/\(Self.workers)", "-q"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/params.jsonl"))
        let lines = (0..<Self.workers).flatMap { i in
            String(decoding: s.read("params.w\(i)of\(Self.workers).jsonl"), as: UTF8.self).split(separator: "\n")
        }
        #expect(lines.count == 2 * 16)
        // The concatenated parts replay to the same files.
        let all = lines.joined(separator: "\n") + "\n"
        s.write("all.jsonl", Array(all.utf8))
        let replay = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/again", "--replay", s.path + "/all.jsonl", "-q"])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(Self.contents(s, "again") == Self.contents(s, "out"))
    }

    @Test func augmentWorkersSayWhenAnUnreadableImageLeavesItsClassShort() throws {
        let s = Scratch()
        Self.dataset(s)
        s.write("src/train/c/broken.jpg", Array(PackCommandTests.jpeg(3).prefix(100)))
        var warned = 0, files = 0
        for i in 0..<Self.workers {
            let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/out", "--class-size", "6", "--seed", "3", "-q",
                                 "--shard", "\(i)/\(Self.workers)"])
            let warning = r.stderr.contains("train/c/broken.jpg: unreadable: under --shard") && r.stderr.contains("ends 1 short")
            #expect(r.status == (warning ? 1 : 0), "\(r.stderr)")
            warned += warning ? 1 : 0
        }
        files = s.files("out").count
        #expect(warned == 1)
        // One run gives train/c 6 images from its 3 readable originals; split, the one planned
        // for the broken image (its original: copies go to others by the seeded ranking) is missing.
        #expect(files == 5 * 6 - 1 && s.files("out").filter { $0.hasPrefix("train/c/") }.count == 5)
    }

    @Test func augmentWorkersWriteTheirRowsOfALabelsCSVAndReportEachProblemOnce() throws {
        let s = Scratch()
        var rows = "image_id,label\n"
        for i in 0..<9 {
            s.write("imgs/p\(i).jpg", PackCommandTests.jpeg(i))
            rows += "p\(i),\(i % 2 == 0 ? "milk" : "eggs")\n"
        }
        s.write("train.csv", Array((rows + "missing,eggs\n").utf8))
        let arguments = { (to: String) in ["augment", s.path + "/imgs", "--labels", s.path + "/train.csv", "--to", s.path + "/" + to,
                                           "--class-size", "6", "--seed", "9", "-q"] }
        #expect(try CLI.run(arguments("whole")).status == 1)
        var reported = 0, parts: [Substring] = []
        for i in 0..<Self.workers {
            let r = try CLI.run(arguments("parts") + ["--shard", "\(i)/\(Self.workers)"])
            reported += r.stderr.contains("missing") ? 1 : 0
            #expect(r.status == (r.stderr.contains("missing") ? 1 : 0), "\(r.stderr)")
            let part = String(decoding: s.read("parts/train.w\(i)of\(Self.workers).csv"), as: UTF8.self).split(separator: "\n")
            #expect(part.first == "image_id,label")
            parts += part.dropFirst()
        }
        #expect(reported == 1, "the CSV row naming no image is reported by one worker")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/parts/train.csv"))
        let whole = String(decoding: s.read("whole/train.csv"), as: UTF8.self).split(separator: "\n").dropFirst()
        #expect(parts.sorted() == whole.sorted() && whole.count == 12)
    }

    @Test func cleanWorkersFindExactlyWhatOneRunFinds() throws {
        let s = Scratch()
        Self.dataset(s)
        s.write("src/train/a/dup.jpg", s.read("src/train/a/0.jpg"))          // exact duplicate
        s.write("src/train/b/dup2.jpg", s.read("src/train/a/1.jpg"))         // duplicate across classes
        s.write("src/test/b/leak.jpg", s.read("src/train/c/2.jpg"))          // leak
        s.write("src/test/a/leak2.jpg", s.read("src/train/b/3.jpg"))         // leak
        s.write("src/train/c/broken.jpg", Array(PackCommandTests.jpeg(3).prefix(100)))
        s.write("src/train/c/empty.jpg", [])
        s.write("src/train/b/tiny.png", try ImageEncoder.encode(PackCommandTests.picture(1, 8, 8), as: .png(compressionLevel: 6)))
        func findings(_ extra: [String]) throws -> [CleanFinding] {
            let r = try CLI.run(["clean", s.path + "/src", "--json", "-q"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let data = try JSONSerialization.data(withJSONObject: report?["findings"] ?? [])
            return try JSONDecoder().decode([CleanFinding].self, from: data)
        }
        let one = try findings([])
        #expect(Set(one.map(\.kind)) == [.exactDuplicate, .leak, .truncated, .zeroByte, .tiny])
        var union: [CleanFinding] = []
        for i in 0..<Self.workers {
            let part = try findings(["--shard", "\(i)/\(Self.workers)"])
            #expect(Set(part.map(\.path)).isDisjoint(with: union.map(\.path)))
            union += part
        }
        let key = { (f: CleanFinding) in f.path + "|" + f.kind.rawValue }
        #expect(union.sorted { key($0) < key($1) } == one.sorted { key($0) < key($1) })
    }

    @Test func cleanRefusesWhatCannotBeSplit() throws {
        let s = Scratch()
        Self.dataset(s)
        for extra in [["--dedupe", "near"], ["--quarantine", s.path + "/q"]] {
            let r = try CLI.run(["clean", s.path + "/src", "--shard", "0/2"] + extra)
            #expect(r.status == 64 && r.stderr.contains("--shard"), "\(extra): \(r.stderr)")
        }
    }

    @Test func everyCommandRefusesABadShardNamingTheFlag() throws {
        let s = Scratch()
        Self.dataset(s)
        let commands: [[String]] = [
            ["resize", s.path + "/src", "--to", s.path + "/o", "--size", "8"],
            ["augment", s.path + "/src", "--to", s.path + "/o", "--copies", "1"],
            ["clean", s.path + "/src"],
            ["pack", s.path + "/src", "--to", s.path + "/o", "--size", "8"],
            ["features", s.path + "/src", "--to", s.path + "/o", "--backbone", "vgg16", "--weights", "none"],
        ]
        for command in commands {
            for bad in ["3/3", "-1/3", "1/0", "two/3", "1"] {
                let r = try CLI.run(command + ["--shard", bad])
                #expect(r.status == 64, "\(command[0]) \(bad)")
                #expect(r.stderr.contains("--shard") && r.stderr.contains("0 <= I < N"), "\(command[0]) \(bad): \(r.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/o"))
    }
}
