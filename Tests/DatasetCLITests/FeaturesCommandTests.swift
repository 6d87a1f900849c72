import DatasetKit
import Foundation
import Testing

/// `dataset features` as a user runs it, with random weights (`--weights none`) at 32 px so a
/// run takes about a second: order, labels, the last short batch, shards, resuming, workers, and
/// `train` on the result.
@Suite struct FeaturesCommandTests {
    /// src/train/{a: 4, b: 3} (7 images: batches of 4 end short) and src/val/{a: 2, b: 1}.
    static func tree(_ s: Scratch, at folder: String = "src") {
        var seed = 0
        for (split, counts) in [("train", [("a", 4), ("b", 3)]), ("val", [("a", 2), ("b", 1)])] {
            for (label, count) in counts {
                for i in 0..<count { s.write("\(folder)/\(split)/\(label)/\(i).jpg", PackCommandTests.jpeg(seed)); seed += 1 }
            }
        }
    }

    static let quick = ["--backbone", "mobilenet_v2", "--weights", "none", "--size", "32", "--batch-size", "4", "--threads", "2"]

    static func features(_ s: Scratch, from source: String = "src", to folder: String, _ extra: [String] = []) throws -> CLIResult {
        try CLI.run(["features", s.path + "/" + source, "--to", s.path + "/" + folder] + quick + extra)
    }

    static func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stdout)")
    }

    /// The SHA-256 of a file under the scratch folder (compared instead of the bytes, whose
    /// listing would fill the log when they differ).
    static func digest(_ s: Scratch, _ path: String) -> String {
        (try? FileDigest.compute(.sha256, ofFile: s.path + "/" + path)) ?? "missing: \(path)"
    }

    static func lines(_ s: Scratch, _ path: String) -> [String] {
        String(decoding: s.read(path), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Scratch()
        Self.tree(s)
        let cases: [([String], String)] = [
            (["--batch-size", "0"], "--batch-size"), (["--size", "16"], "--size"), (["--part-size", "0"], "--part-size"),
            (["--pooling", "mean"], "--pooling"), (["--weights", ""], "--weights"), (["--weights", s.path + "/missing.h5"], "--weights"),
            (["--shard", "2/2"], "--shard"), (["--jobs", "0"], "--jobs"), (["--threads", "0"], "--threads"),
        ]
        for (extra, flag) in cases {
            let r = try Self.features(s, to: "out", extra)
            #expect(r.status == 64, "\(extra)")
            #expect(r.stderr.contains(flag), "\(extra): \(r.stderr)")
        }
        let unknown = try CLI.run(["features", s.path + "/src", "--to", s.path + "/out", "--backbone", "vgg19"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--backbone"))
        #expect(try CLI.run(["features", s.path + "/nope", "--to", s.path + "/out", "--backbone", "vgg16"]).status == 64)
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }

    @Test func extractsATreeInOrderKeepingTheLastShortBatch() throws {
        let s = Scratch()
        Self.tree(s)
        let r = try Self.features(s, to: "feats", ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try Self.json(r)
        #expect(summary["done"] as? Int == 10 && summary["failed"] as? Int == 0)
        #expect(s.files("feats") == ["classes.txt", "features.json", "train/features.npy", "train/files.txt", "train/labels.npy",
                                     "val/features.npy", "val/files.txt", "val/labels.npy"])
        let features = try NPYReader(path: s.path + "/feats/train/features.npy")
        #expect(features.shape == [7, 1280] && features.dtype == .float32)
        // Every row's label is its file's class folder, in the source's sorted order.
        let classes = Self.lines(s, "feats/classes.txt")
        let files = Self.lines(s, "feats/train/files.txt")
        #expect(classes == ["a", "b"])
        #expect(files == ["train/a/0.jpg", "train/a/1.jpg", "train/a/2.jpg", "train/a/3.jpg", "train/b/0.jpg", "train/b/1.jpg", "train/b/2.jpg"])
        let labels = try NPYReader(path: s.path + "/feats/train/labels.npy").int64Values()
        #expect(labels == files.map { Int64(classes.firstIndex(of: $0.split(separator: "/")[1].description)!) })
        #expect(try NPYReader(path: s.path + "/feats/val/labels.npy").int64Values() == [0, 0, 1])

        let record = try #require(JSONSerialization.jsonObject(with: Data(s.read("feats/features.json"))) as? [String: Any])
        #expect(record["backbone"] as? String == "mobilenet_v2" && record["pooling"] as? String == "avg")
        #expect(record["featureShape"] as? [Int] == [1280] && record["weights"] == nil)
        #expect((record["input"] as? [String: Int]) == ["height": 32, "width": 32, "channels": 3])
        let preparation = try #require(record["preparation"] as? [String: Any])
        #expect((preparation["normalization"] as? [String: Any])?["kind"] as? String == "tf")
        #expect((preparation["resize"] as? [String: Any])?["mode"] as? String == "stretch")
        #expect((record["source"] as? [String: Any])?["kind"] as? String == "folder")
        let splits = try #require(record["splits"] as? [[String: Any]])
        #expect(splits.map { $0["count"] as? Int } == [7, 3])
        for file in splits.flatMap({ $0["files"] as? [[String: Any]] ?? [] }) {
            let name = try #require(file["name"] as? String)
            #expect(file["sha256"] as? String == (try FileDigest.compute(.sha256, ofFile: s.path + "/feats/" + name)), "\(name)")
            #expect(file["bytes"] as? Int == s.read("feats/" + name).count)
        }

        // A rerun has nothing to do and changes nothing.
        let digests = { Dictionary(uniqueKeysWithValues: s.files("feats").map { ($0, Self.digest(s, "feats/" + $0)) }) }
        let before = digests()
        let again = try Self.features(s, to: "feats")
        #expect(again.status == 0 && again.stderr.contains("nothing to do"), "\(again.stderr)")
        #expect(digests() == before, "a rerun changed the folder")
        // Other settings into the same folder must say so.
        let other = try Self.features(s, to: "feats", ["--pooling", "max"])
        #expect(other.status == 1 && other.stderr.contains("pooling") && other.stderr.contains("--overwrite"), "\(other.stderr)")
        let replaced = try Self.features(s, to: "feats", ["--pooling", "max", "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        // At 32 px MobileNetV2's last map is 1x1, so max and avg pooling give the same numbers.
        let replacedRecord = try #require(JSONSerialization.jsonObject(with: Data(s.read("feats/features.json"))) as? [String: Any])
        #expect(replacedRecord["pooling"] as? String == "max")
        #expect(s.files("feats").count == 8)
    }

    @Test func shardsGiveTheFeaturesOfTheirImages() throws {
        let s = Scratch()
        Self.tree(s)
        #expect(try Self.features(s, to: "from-tree").status == 0)
        #expect(try CLI.run(["pack", s.path + "/src", "--to", s.path + "/npy", "--size", "32", "-q"]).status == 0)
        let npy = try CLI.run(["features", s.path + "/npy", "--to", s.path + "/from-npy"] + Self.quick.filter { $0 != "--size" && $0 != "32" })
        #expect(npy.status == 0, "\(npy.stderr)")
        // The pack's pixels are the tree's pixels: the same numbers, byte for byte.
        for name in ["train/features.npy", "train/labels.npy", "val/features.npy", "val/labels.npy"] {
            #expect(Self.digest(s, "from-npy/" + name) == Self.digest(s, "from-tree/" + name), "\(name)")
        }
        #expect(Self.lines(s, "from-npy/train/files.txt") == (0..<7).map { "train-00000.images.npy#\($0)" })
        let record = try #require(JSONSerialization.jsonObject(with: Data(s.read("from-npy/features.json"))) as? [String: Any])
        let source = try #require(record["source"] as? [String: Any])
        #expect(source["kind"] as? String == "npy")
        #expect(source["manifestSHA256"] as? String == (try FileDigest.compute(.sha256, ofFile: s.path + "/npy/manifest.json")))

        #expect(try CLI.run(["pack", s.path + "/src", "--to", s.path + "/wds", "--size", "32", "--format", "webdataset", "-q"]).status == 0)
        let wds = try CLI.run(["features", s.path + "/wds", "--to", s.path + "/from-wds", "--json"] + Self.quick.filter { $0 != "--size" && $0 != "32" })
        #expect(wds.status == 0, "\(wds.stderr)")
        #expect(Self.digest(s, "from-wds/train/labels.npy") == Self.digest(s, "from-tree/train/labels.npy"))
        #expect(try NPYReader(path: s.path + "/from-wds/val/features.npy").shape == [3, 1280])
        #expect(Self.lines(s, "from-wds/val/files.txt") == (0..<3).map { "val-000000.tar#\($0)" })

        // What cannot feed the backbone is refused with what to do.
        let resized = try CLI.run(["features", s.path + "/npy", "--to", s.path + "/x", "--backbone", "vgg16", "--weights", "none", "--size", "64"])
        #expect(resized.status == 1 && resized.stderr.contains("--size 64"), "\(resized.stderr)")
        #expect(try CLI.run(["pack", s.path + "/src", "--to", s.path + "/f32", "--size", "32", "--dtype", "float32", "-q"]).status == 0)
        let float = try CLI.run(["features", s.path + "/f32", "--to", s.path + "/x", "--backbone", "mobilenet_v2", "--weights", "none"])
        #expect(float.status == 1 && float.stderr.contains("--normalize tf"), "\(float.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/x"))
    }

    @Test func aRerunKeepsTheFinishedPartsOfAnInterruptedRun() throws {
        let s = Scratch()
        Self.tree(s)
        #expect(try Self.features(s, to: "clean").status == 0)
        // Row 5 of train (b/1.jpg) is broken: with --strict and parts of 2 rows the run stops in
        // its third part, after two whole parts.
        let good = s.read("src/train/b/1.jpg")
        s.write("src/train/b/1.jpg", Array(good.prefix(200)))
        let args = ["--part-size", "2", "--batch-size", "2"]
        let stopped = try Self.features(s, to: "feats", args + ["--strict"])
        #expect(stopped.status == 1 && stopped.stderr.contains("train/b/1.jpg"), "\(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/feats/features.json"))
        let journal = s.path + "/feats/.features-work/journal.jsonl"
        #expect(Self.lines(s, "feats/.features-work/journal.jsonl").count == 3)
        // As a kill leaves things: a line cut short, and a part's file damaged after its entry.
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data("{\"split\":\"train\",\"splitIndex\":0,\"part\":2,\"ro".utf8))
        handle.closeFile()
        var damaged = s.read("feats/.features-work/0-00001.features.npy")
        damaged[damaged.count - 1] ^= 0xFF
        s.write("feats/.features-work/0-00001.features.npy", damaged)

        s.write("src/train/b/1.jpg", good)
        let rerun = try Self.features(s, to: "feats", args + ["--json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let summary = try Self.json(rerun)
        // Part 0 (2 rows) is kept; the damaged part 1 and the rest are extracted.
        #expect(summary["skipped"] as? Int == 2 && summary["done"] as? Int == 8, "\(rerun.stdout)")
        for name in ["train/features.npy", "train/labels.npy", "train/files.txt", "val/features.npy"] {
            #expect(Self.digest(s, "feats/" + name) == Self.digest(s, "clean/" + name), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/feats/.features-work"))
    }

    @Test func shardWorkersMergeIntoExactlyWhatOneRunWrites() throws {
        let s = Scratch()
        Self.tree(s)
        let whole = try Self.features(s, to: "whole")
        #expect(whole.status == 0, "\(whole.stderr)")
        let first = try Self.features(s, to: "parts", ["--shard", "0/2"])
        #expect(first.status == 0 && first.stderr.contains("shard 0/2: "), "\(first.stderr)")
        // A merge before every worker is done names the missing part.
        let early = try CLI.run(["merge-manifests", s.path + "/parts"])
        #expect(early.status == 1 && early.stderr.contains("features.w1of2.json"), "\(early.stderr)")
        #expect(try Self.features(s, to: "parts", ["--shard", "1/2"]).status == 0)
        let merged = try CLI.run(["merge-manifests", s.path + "/parts"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let workers = try NPYReader(path: s.path + "/parts/train/rows.w0of2.npy").rowCount + (try NPYReader(path: s.path + "/parts/train/rows.w1of2.npy").rowCount)
        #expect(workers == 7)
        for name in ["train/features.npy", "train/labels.npy", "train/files.txt", "val/features.npy", "val/labels.npy", "val/files.txt",
                     "classes.txt", "features.json"] {
            #expect(!s.read("whole/" + name).isEmpty)
            #expect(Self.digest(s, "parts/" + name) == Self.digest(s, "whole/" + name), "\(name)")
        }
    }

    @Test func trainsMLPAndLinearTopModelsOnAFeaturesFolder() throws {
        let s = Scratch()
        Self.tree(s)
        // VGG16's block5_pool map (1x1x512 at 32 px), flattened as Keras' Flatten does.
        let r = try CLI.run(["features", s.path + "/src", "--to", s.path + "/feats", "--backbone", "vgg16", "--pooling", "none", "--weights", "none",
                             "--size", "32", "--batch-size", "4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try NPYReader(path: s.path + "/feats/train/features.npy").shape == [7, 1, 1, 512])
        for model in ["mlp", "linear"] {
            let train = try CLI.run(["train", s.path + "/feats", "--to", s.path + "/top-" + model, "--model", model, "--epochs", "2",
                                     "--batch-size", "4", "--threads", "2", "-q", "--json"])
            #expect(train.status == 0, "\(model): \(train.stderr)")
            let summary = try Self.json(train)
            #expect(summary["trainExamples"] as? Int == 7 && summary["validationExamples"] as? Int == 3, "\(model)")
        }
        let evaluation = try CLI.run(["evaluate", s.path + "/top-linear", s.path + "/feats", "--split", "val", "--json"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        #expect((try Self.json(evaluation)["classes"] as? [[String: Any]])?.map { $0["name"] as? String } == ["a", "b"])
        let flags = try CLI.run(["train", s.path + "/feats", "--to", s.path + "/x", "--labels", s.path + "/feats/train/labels.npy"])
        #expect(flags.status == 64 && flags.stderr.contains("--labels"))
    }

    @Test func aWeightFileThatIsNotTheBackbonesIsRefusedNamingIt() throws {
        let s = Scratch()
        Self.tree(s)
        // A real Keras file of a small network (the reader's fixture), and a file that is no HDF5 at all.
        let keras = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("NeuralKitTests/Fixtures/keras/tiny_legacy.h5").path
        s.write("weights/tiny.h5", [UInt8](try #require(FileManager.default.contents(atPath: keras))))
        s.write("weights/photo.h5", PackCommandTests.jpeg(3))
        for name in ["tiny.h5", "photo.h5"] {
            let path = s.path + "/weights/" + name
            let r = try CLI.run(["features", s.path + "/src", "--to", s.path + "/out", "--backbone", "mobilenet_v2", "--weights", path, "--size", "32"])
            #expect(r.status == 1 && r.stderr.contains(path), "\(name): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }

    /// The README's first example of the section runs as written, in an empty folder.
    @Test func theReadmeExampleRuns() throws {
        let s = Scratch()
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md").path
        let text = String(decoding: try #require(FileManager.default.contents(atPath: readme)), as: UTF8.self)
        let section = try #require(text.range(of: "### Bottleneck features (the transfer-learning tutorial)"))
        let open = try #require(text.range(of: "```sh\n", range: section.upperBound..<text.endIndex))
        let close = try #require(text.range(of: "```", range: open.upperBound..<text.endIndex))
        let commands = text[open.upperBound..<close.lowerBound].split(separator: "\n").map { String($0) }
        #expect(commands.count == 3 && commands.allSatisfy { $0.hasPrefix("dataset ") }, "\(commands)")
        for command in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = command.split(separator: " ").dropFirst().map(String.init)
            process.currentDirectoryURL = URL(fileURLWithPath: s.path)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(command)")
        }
        #expect(FileManager.default.fileExists(atPath: s.path + "/feats/features.json"))
        #expect(FileManager.default.fileExists(atPath: s.path + "/top/model.json"))
    }
}
