import DatasetKit
import Foundation
import Testing

@Suite struct PackCommandTests {
    static func picture(_ seed: Int, _ w: Int = 48, _ h: Int = 36) -> RGBImage {
        RGBImage(width: w, height: h) { p in
            for i in 0..<(w * h) { p[i * 3] = UInt8((i % w * 5 + seed * 40) % 256); p[i * 3 + 1] = UInt8((i / w * 7 + seed) % 256); p[i * 3 + 2] = UInt8(seed * 30 % 256) }
        }
    }
    static func jpeg(_ seed: Int) -> [UInt8] { try! ImageEncoder.encode(picture(seed), as: .jpeg(quality: 90, subsampling: .s420)) }

    /// train/{a,b,c} (3 images each) and test/{a,b} (1 each), plus one broken file.
    static func dataset(_ s: Scratch) {
        for (k, c) in ["a", "b", "c"].enumerated() { for i in 0..<3 { s.write("src/train/\(c)/\(i).jpg", jpeg(k * 3 + i)) } }
        s.write("src/test/a/x.jpg", jpeg(20))
        s.write("src/test/b/y.jpg", jpeg(21))
        s.write("src/train/c/broken.jpg", Array(jpeg(1).prefix(100)))
    }

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Scratch()
        Self.dataset(s)
        let cases: [([String], String)] = [
            (["--size", "32", "--mode", "shorter"], "--mode"),
            (["--size", "32", "--shard-size", "0"], "--shard-size"),
            (["--size", "32", "--format", "tfrecord"], "--format"),
            (["--size", "32", "--normalize", "zscore"], "--normalize"),
            (["--size", "32", "--dtype", "float32", "--format", "webdataset"], "--dtype"),
            (["--size", "32", "--seed", "3"], "--shuffle"),
            (["--size", "32", "--quality", "0"], "--quality"),
            ([], "--size"),
        ]
        for (extra, flag) in cases {
            let r = try CLI.run(["pack", s.path + "/src", "--to", s.path + "/out"] + extra)
            #expect(r.status == 64, "\(extra)")
            #expect(r.stderr.contains(flag), "\(extra): \(r.stderr)")
        }
        #expect(try CLI.run(["pack", s.path + "/nope", "--to", s.path + "/out", "--size", "8"]).status == 64)
    }

    @Test func packsReportsTheBrokenFileAndARerunDoesNothing() throws {
        let s = Scratch()
        Self.dataset(s)
        let args = ["pack", s.path + "/src", "--to", s.path + "/out", "--size", "16x12", "--shard-size", "4", "-q"]
        let r = try CLI.run(args + ["--json"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("train/c/broken.jpg") && r.stderr.contains("truncated JPEG"))
        let summary = try JSONDecoder().decode(RunSummary.self, from: Data(r.stdout.utf8))
        #expect(summary.done == 11 && summary.failed == 1)
        #expect(s.files("out") == ["classes.txt", "manifest.json",
                                   "test-00000.files.txt", "test-00000.images.npy", "test-00000.labels.npy",
                                   "train-00000.files.txt", "train-00000.images.npy", "train-00000.labels.npy",
                                   "train-00001.files.txt", "train-00001.images.npy", "train-00001.labels.npy",
                                   "train-00002.files.txt", "train-00002.images.npy", "train-00002.labels.npy"])
        let manifest = try Manifest(path: s.path + "/out/manifest.json")
        #expect(manifest.splits.map(\.count) == [2, 9] && manifest.splits[1].shards.map(\.rows) == [4, 4, 1])
        #expect(manifest.classes == ["a", "b", "c"] && manifest.normalization.kind == .rescale)
        let again = try CLI.run(args)
        #expect(again.status == 0 && again.stderr.contains("nothing to do"))
        let repack = try CLI.run(args + ["--overwrite", "--shard-size", "100"])
        #expect(repack.status == 1 && s.files("out").count == 8)
    }

    @Test(.enabled(if: PythonInterop.numpy != nil, "needs python3 with numpy"))
    func numpyReadsTheShardsMemoryMapped() throws {
        let s = Scratch()
        Self.dataset(s)
        for (name, extra) in [("u8", [String]()), ("f32", ["--dtype", "float32", "--normalize", "imagenet"])] {
            let r = try CLI.run(["pack", s.path + "/src", "--to", s.path + "/" + name, "--size", "20x10", "--shard-size", "5", "-q"] + extra)
            #expect(r.status == 1, "\(r.stderr)")
        }
        let script = """
            import hashlib, json, sys, numpy as np
            root, kind = sys.argv[1], sys.argv[2]
            m = json.load(open(root + "/manifest.json"))
            dtype = np.uint8 if kind == "u8" else np.float32
            for split in m["splits"]:
                for shard in split["shards"]:
                    for f in shard["files"]:
                        data = open(root + "/" + f["name"], "rb").read()
                        assert hashlib.sha256(data).hexdigest() == f["sha256"], f["name"]
                    images = np.load(root + "/" + shard["files"][0]["name"], mmap_mode="r")
                    labels = np.load(root + "/" + shard["files"][1]["name"], mmap_mode="r")
                    assert isinstance(images, np.memmap), type(images)
                    assert images.shape == (shard["rows"], 10, 20, 3) and images.dtype == dtype, (images.shape, images.dtype)
                    assert labels.shape == (shard["rows"],) and labels.dtype == np.int64
                    sources = open(root + "/" + shard["files"][2]["name"]).read().split()
                    assert [m["classes"][i] for i in labels] == [p.split("/")[1] for p in sources]
            n = m["preparation"]["normalization"]
            if kind == "f32":
                assert n["kind"] == "torch" and n["channelOrder"] == "rgb" and abs(n["mean"][0] - 0.485) < 1e-12
                first = np.load(root + "/train-00000.images.npy")
                assert -3 < first.min() < first.max() < 3
            print("ok", sum(s["count"] for s in m["splits"]))
            """
        for name in ["u8", "f32"] {
            let r = try PythonInterop.run(PythonInterop.numpy!, script, arguments: [s.path + "/" + name, name])
            #expect(r.status == 0 && r.stdout == "ok 11\n", "\(name): \(r.stdout) \(r.stderr)")
        }
    }

    @Test(.enabled(if: PythonInterop.webdataset != nil, "needs python3 with webdataset (pip install webdataset)"))
    func theWebDatasetLibraryReadsTheTars() throws {
        let s = Scratch()
        Self.dataset(s)
        let r = try CLI.run(["pack", s.path + "/src", "--to", s.path + "/wds", "--size", "20x10", "--format", "webdataset",
                             "--shard-size", "4", "-q"])
        #expect(r.status == 1)
        let script = """
            import glob, sys, webdataset as wds
            urls = sorted(glob.glob(sys.argv[1] + "/train-*.tar"))
            rows = [(img.shape, int(cls)) for img, cls in wds.WebDataset(urls, shardshuffle=False).decode("rgb").to_tuple("jpg", "cls")]
            assert all(shape == (10, 20, 3) for shape, _ in rows), rows
            print(len(urls), [c for _, c in rows])
            """
        let py = try PythonInterop.run(PythonInterop.webdataset!, script, arguments: [s.path + "/wds"])
        #expect(py.status == 0 && py.stdout == "3 [0, 0, 0, 1, 1, 1, 2, 2, 2]\n", "\(py.stdout) \(py.stderr)")
    }
}
