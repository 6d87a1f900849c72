import DatasetKit
import Foundation
import Testing

/// `dataset train`, `evaluate` and `predict` as a user runs them, on shards `pack` wrote.
@Suite struct TrainCommandTests {
    /// A 20x20 PNG: red squares for class `a`, blue stripes for `b`, with per-image noise.
    static func picture(_ label: Int, _ seed: Int) -> [UInt8] {
        var generator = SeededGenerator(seed: UInt64(seed))
        let image = RGBImage(width: 20, height: 20, pixels: (0..<(20 * 20)).flatMap { i -> [UInt8] in
            let (x, y) = (i % 20, i / 20)
            let on = label == 0 ? (x / 5 + y / 5) % 2 == 0 : y % 4 < 2
            let noise = { UInt8(generator.next() % 40) }
            return on ? (label == 0 ? [200 + noise() / 2, noise(), noise()] : [noise(), noise(), 200 + noise() / 2]) : [noise(), noise(), noise()]
        })
        return try! ImageEncoder.encode(image, as: .png(compressionLevel: 1))
    }

    /// src/{train,test}/{a,b}/*.png packed at 16x16 into `shards`; returns the shards path.
    static func shards(_ s: Scratch, perClass: Int = 12) throws -> String {
        for (label, name) in ["a", "b"].enumerated() {
            for i in 0..<perClass { s.write("src/train/\(name)/\(i).png", picture(label, i)) }
            for i in 0..<4 { s.write("src/test/\(name)/t\(i).png", picture(label, 100 + i)) }
        }
        let r = try CLI.run(["pack", s.path + "/src", "--to", s.path + "/shards", "--size", "16", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        return s.path + "/shards"
    }

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Scratch()
        let shards = try Self.shards(s, perClass: 2)
        let cases: [([String], String)] = [
            (["--epochs", "0"], "--epochs"), (["--batch-size", "0"], "--batch-size"), (["--lr", "-1"], "--lr"),
            (["--momentum", "0.9"], "--momentum"), (["--val-fraction", "1.5"], "--val-fraction"),
            (["--val-fraction", "0.2", "--val-split", "test"], "--val-split"), (["--shift", "0.7"], "--shift"),
            (["--patience", "0"], "--patience"), (["--resume", "--overwrite"], "--resume"), (["--model", "resnet"], "--model"),
            (["--optimizer", "lbfgs"], "--optimizer"), (["--threads", "0"], "--threads"), (["--labels", "x.npy"], "--labels"),
        ]
        for (extra, flag) in cases {
            let r = try CLI.run(["train", shards, "--to", s.path + "/model"] + extra)
            #expect(r.status == 64, "\(extra)")
            #expect(r.stderr.contains(flag), "\(extra): \(r.stderr)")
        }
        #expect(try CLI.run(["train", s.path + "/nope", "--to", s.path + "/m"]).status == 64)
        let features = try CLI.run(["train", s.path + "/f.npy", "--to", s.path + "/m"])
        #expect(features.status == 64)
        #expect(try CLI.run(["evaluate", s.path + "/nope", shards]).status == 64)
        #expect(try CLI.run(["predict", s.path, s.path + "/missing.png"]).status == 64)
    }

    @Test func trainsEvaluatesPredictsAndResumes() throws {
        let s = Scratch()
        let shards = try Self.shards(s)
        let model = s.path + "/model"
        let train = ["train", shards, "--to", model, "--epochs", "6", "--batch-size", "8", "--lr", "0.01", "--val-fraction", "0.25",
                     "--flip", "--threads", "2", "-q"]
        let r = try CLI.run(train + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(summary?["epochsRun"] as? Int == 6)
        #expect((summary?["history"] as? [[String: Any]])?.count == 6)
        #expect(summary?["validationExamples"] as? Int == 6)
        #expect(s.files("model") == ["checkpoint.safetensors", "classes.txt", "curves.svg", "history.csv", "model.json", "weights.safetensors"])
        #expect(String(decoding: s.read("model/history.csv"), as: UTF8.self).hasPrefix("epoch,accuracy,loss,val_accuracy,val_loss,"))

        // A second run into the same folder must choose: resume or start afresh.
        let again = try CLI.run(train)
        #expect(again.status == 1 && again.stderr.contains("--resume"), "\(again.stderr)")
        let resumed = try CLI.run(train.map { $0 == "6" ? "7" : $0 } + ["--resume", "--json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any])?["epochsRun"] as? Int == 7)
        let otherSeed = try CLI.run(train.map { $0 == "6" ? "8" : $0 } + ["--resume", "--seed", "5"])
        #expect(otherSeed.status == 1 && otherSeed.stderr.contains("other settings"), "\(otherSeed.stderr)")

        let evaluation = try CLI.run(["evaluate", model, shards, "--json"])
        #expect(evaluation.status == 0, "\(evaluation.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(evaluation.stdout.utf8)) as? [String: Any]
        #expect((report?["accuracy"] as? Double ?? 0) >= 0.75, "\(evaluation.stdout)")
        #expect((report?["classes"] as? [[String: Any]])?.map { $0["name"] as? String } == ["a", "b"])
        #expect(s.files("model/evaluation-test") == ["confusion.csv", "confusion.svg", "report.json"])
        let table = try CLI.run(["evaluate", model, shards, "--report", s.path + "/report"])
        #expect(table.status == 0 && table.stdout.contains("precision") && table.stdout.contains("weighted avg"))

        s.write("broken.png", Array(Self.picture(0, 1).prefix(30)))
        let predicted = try CLI.run(["predict", model, s.path + "/src/test/b/t0.png", s.path + "/broken.png", "--json", "--top", "1"])
        #expect(predicted.status == 1)
        let items = try JSONSerialization.jsonObject(with: Data(predicted.stdout.utf8)) as? [[String: Any]]
        #expect(items?.count == 2)
        let first = items?.first?["prediction"] as? [[String: Any]]
        #expect(first?.count == 1 && first?.first?["label"] as? String == "b", "\(predicted.stdout)")
        #expect(items?.last?["error"] != nil)
        let text = try CLI.run(["predict", model, s.path + "/src/test/a"])
        #expect(text.status == 0 && text.stdout.split(separator: "\n").count == 4, "\(text.stdout)")
        // A 300 MB (sparse) file named as an image is refused before it is read.
        let huge = s.path + "/huge.png"
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, 300_000_000) == 0)
        let refused = try CLI.run(["predict", model, huge])
        #expect(refused.status == 1 && (refused.stdout + refused.stderr).contains("--max-file-size"), "\(refused.stdout)\(refused.stderr)")
    }

    @Test func trainsAnMLPOnFeatureVectors() throws {
        let s = Scratch()
        var generator = SeededGenerator(seed: 2)
        let rows = 40, width = 5
        let features = NPYFile(path: s.path + "/features.npy")
        var values: [Float] = [], labels: [Int64] = []
        for i in 0..<rows {
            let label = i % 2
            values += (0..<width).map { k in Float(label == 0 ? 1 : -1) * Float(k + 1) / 3 + Float(generator.uniform(-0.2...0.2)) }
            labels.append(Int64(label))
        }
        try features.write(floats: values, shape: [rows, width])
        try NPYFile(path: s.path + "/labels.npy").write(int64: labels)
        s.write("classes.txt", Array("cat\ndog\n".utf8))
        let r = try CLI.run(["train", s.path + "/features.npy", "--labels", s.path + "/labels.npy", "--classes", s.path + "/classes.txt",
                             "--to", s.path + "/top", "--model", "mlp", "--epochs", "30", "--batch-size", "8", "--lr", "0.01", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let e = try CLI.run(["evaluate", s.path + "/top", s.path + "/features.npy", "--labels", s.path + "/labels.npy", "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])?["accuracy"] as? Double == 1)
        let p = try CLI.run(["predict", s.path + "/top", s.path + "/features.npy", "--top", "1"])
        #expect(p.status == 0 && p.stdout.contains("features.npy[1]: dog"), "\(p.stdout)")
    }

    @Test func multiLabelShardsTrainASigmoidHead() throws {
        let s = Scratch()
        #expect(try CLI.run(["sample", "multilabel", "--to", s.path + "/sample", "--per-class", "6", "--max-side", "48", "-q"]).status == 0)
        let pack = try CLI.run(["pack", s.path + "/sample/multilabel", "--to", s.path + "/shards", "--size", "24", "-q"])
        #expect(pack.status == 0, "\(pack.stderr)")
        let r = try CLI.run(["train", s.path + "/shards", "--to", s.path + "/model", "--epochs", "2", "--val-fraction", "0.2", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let document = String(decoding: s.read("model/model.json"), as: UTF8.self)
        #expect(document.contains("\"head\" : \"sigmoid\""))
        let e = try CLI.run(["evaluate", s.path + "/model", s.path + "/shards", "--split", "train"])
        #expect(e.status == 0 && e.stdout.contains("samples F1"), "\(e.stdout)\(e.stderr)")
    }

    @Test(.enabled(if: PythonInterop.numpy != nil, "needs python3 with numpy"))
    func weightsAreSafetensorsNumpyCanRead() throws {
        let s = Scratch()
        let shards = try Self.shards(s, perClass: 3)
        #expect(try CLI.run(["train", shards, "--to", s.path + "/m", "--epochs", "1", "-q"]).status == 0)
        let script = """
            import json, struct, sys, numpy as np
            data = open(sys.argv[1], "rb").read()
            n = struct.unpack("<Q", data[:8])[0]
            header = json.loads(data[8:8 + n])
            k = header["conv2d_1.kernel"]
            b, e = k["data_offsets"]
            w = np.frombuffer(data[8 + n + b:8 + n + e], dtype="<f4").reshape(k["shape"])
            print(k["dtype"], list(w.shape), sorted(x for x in header if x != "__metadata__")[:3], np.isfinite(w).all())
            """
        let r = try PythonInterop.run(PythonInterop.numpy!, script, arguments: [s.path + "/m/weights.safetensors"])
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                == "F32 [3, 3, 3, 32] ['conv2d_1.bias', 'conv2d_1.kernel', 'conv2d_2.bias'] True", "\(r.stdout)\(r.stderr)")
    }
}

/// Writes small `.npy` files for tests with DatasetKit's writer.
struct NPYFile {
    var path: String

    func write(floats: [Float], shape: [Int]) throws {
        let writer = try NPYWriter(path: path, dtype: .float32, rowShape: Array(shape.dropFirst()), expectedRows: shape[0])
        try writer.append(rows: floats.withUnsafeBytes { Array($0) })
        _ = try writer.finish()
    }

    func write(int64 values: [Int64]) throws {
        let writer = try NPYWriter(path: path, dtype: .int64, rowShape: [], expectedRows: values.count)
        try writer.append(rows: values.withUnsafeBytes { Array($0) })
        _ = try writer.finish()
    }
}
