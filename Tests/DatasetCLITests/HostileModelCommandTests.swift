import DatasetKit
import Foundation
import Testing

/// `train`, `predict` and `evaluate` on damaged or hostile inputs: a clear error naming the
/// file and the reason, exit status 1, never a crash or a model of NaNs.
@Suite struct HostileModelCommandTests {
    /// 30 float32 feature vectors of width 4 in 3 classes, `poison` at `(row, 1)`, and labels.
    static func features(_ s: Scratch, poison: (row: Int, value: Float)? = nil) throws -> [String] {
        var values: [Float] = []
        for i in 0..<30 { values += (0..<4).map { k in Float(i % 3) * 2 + Float((i * 7 + k) % 5) / 10 } }
        if let poison { values[poison.row * 4 + 1] = poison.value }
        try NPYFile(path: s.path + "/features.npy").write(floats: values, shape: [30, 4])
        try NPYFile(path: s.path + "/labels.npy").write(int64: (0..<30).map { Int64($0 % 3) })
        return [s.path + "/features.npy", "--labels", s.path + "/labels.npy"]
    }

    static func train(_ s: Scratch, _ data: [String], _ extra: [String]) throws -> CLIResult {
        try CLI.run(["train"] + data + ["--to", s.path + "/model", "--model", "mlp", "--batch-size", "16", "--threads", "1"] + extra)
    }

    /// Rewrites the JSON file at `relative` with `change`.
    static func edit(_ s: Scratch, _ relative: String, _ change: (inout [String: Any]) -> Void) throws {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(s.read(relative))) as? [String: Any])
        change(&json)
        s.write(relative, Array(try JSONSerialization.data(withJSONObject: json)))
    }

    @Test func predictWithFewerClassNamesThanOutputsNamesTheField() throws {
        let s = Scratch()
        let data = try Self.features(s)
        #expect(try Self.train(s, data, ["--epochs", "1", "-q"]).status == 0)
        try Self.edit(s, "model/model.json") { json in
            var d = json["data"] as! [String: Any]
            d["classes"] = ["0"]
            json["data"] = d
        }
        let r = try CLI.run(["predict", s.path + "/model", data[0]])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("model.json: data.classes lists 1 classes; the model's last layer has 3 units"), "\(r.stderr)")
    }

    @Test func nanFeatureRowIsRefusedNamingFileAndRow() throws {
        let s = Scratch()
        let r = try Self.train(s, try Self.features(s, poison: (17, .nan)), ["--epochs", "1", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("features.npy: row 17 holds NaN or infinity"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/model/model.json"))
    }

    @Test func zeroStdInTheManifestIsRefusedNamingTheField() throws {
        let s = Scratch()
        let shards = try TrainCommandTests.shards(s, perClass: 2)
        try Self.edit(s, "shards/manifest.json") { json in
            var preparation = json["preparation"] as! [String: Any]
            var n = preparation["normalization"] as! [String: Any]
            n["std"] = [0.2, 0, 0.2]
            n["kind"] = "dataset"
            preparation["normalization"] = n
            json["preparation"] = preparation
        }
        let r = try CLI.run(["train", shards, "--to", s.path + "/model", "--epochs", "1", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("manifest.json: preparation.normalization: std[1] is 0.0: it must be a positive number"), "\(r.stderr)")
    }

    /// SGD at 10^6 overflows in epoch 2: the run stops there with exit 1, and the model of
    /// epoch 1 stays, with finite weights (so it loads; its outputs may still overflow).
    @Test func divergingRunStopsNamingEpochAndStepAndKeepsTheLastGoodModel() throws {
        let s = Scratch()
        let data = try Self.features(s)
        let r = try Self.train(s, data, ["--epochs", "5", "--optimizer", "sgd", "--lr", "1e6"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("training diverged: the training loss is NaN at epoch 2, step 1 of 2; the model of epoch 1"), "\(r.stderr)")
        #expect(String(decoding: s.read("model/history.csv"), as: UTF8.self).split(separator: "\n").count == 2)
        let p = try CLI.run(["predict", s.path + "/model", data[0], "--top", "1"])
        #expect(!p.stderr.contains("model.json") && !p.stderr.contains("weights.safetensors") && !p.stdout.contains("nan"), "\(p.stderr)")
    }

    /// Adam at 0.1 kills small-cnn's ReLUs on noise images that differ only in brightness:
    /// the run finishes (exit 0) and says what to change, even with -q.
    @Test func collapsedRunWarnsAndSucceeds() throws {
        let s = Scratch()
        var generator = SeededGenerator(seed: 4)
        for (label, name) in ["a", "b"].enumerated() {
            for i in 0..<6 {
                let pixels = (0..<(20 * 20 * 3)).map { _ in UInt8(Double(generator.next() % 256) * (label == 0 ? 1 : 0.3)) }
                s.write("src/train/\(name)/\(i).png", try ImageEncoder.encode(RGBImage(width: 20, height: 20, pixels: pixels), as: .png(compressionLevel: 1)))
            }
        }
        #expect(try CLI.run(["pack", s.path + "/src", "--to", s.path + "/shards", "--size", "16", "-q"]).status == 0)
        let r = try CLI.run(["train", s.path + "/shards", "--to", s.path + "/model", "--epochs", "4", "--lr", "0.1", "--batch-size", "4",
                             "--threads", "1", "-q", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: in epoch ") && r.stderr.contains(" the network gave the same output for every example")
                && r.stderr.contains("ln(2) = 0.6931") && r.stderr.contains("--lr"), "\(r.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((summary?["warnings"] as? [String])?.count == 1)
    }

    /// Finite weights so large that the outputs overflow: each row is reported as an error
    /// (exit 1), not printed as NaN probabilities.
    @Test func overflowingOutputsAreReportedNotPrinted() throws {
        let s = Scratch()
        let data = try Self.features(s)
        #expect(try Self.train(s, data, ["--epochs", "1", "-q"]).status == 0)
        var bytes = s.read("model/weights.safetensors")
        let length = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try #require(try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        let offsets = try #require((header["dense_3.kernel"] as? [String: Any])?["data_offsets"] as? [Int])
        let huge = withUnsafeBytes(of: Float(3e38).bitPattern.littleEndian, Array.init)
        for offset in stride(from: 8 + length + offsets[0], to: 8 + length + offsets[1], by: 4) { bytes.replaceSubrange(offset..<(offset + 4), with: huge) }
        s.write("model/weights.safetensors", bytes)
        let r = try CLI.run(["predict", s.path + "/model", data[0]])
        #expect(r.status == 1)
        #expect(r.stderr.contains("]: the model's outputs are NaN or infinite for this input"), "\(r.stderr)")
        #expect(!r.stdout.lowercased().contains("nan"), "\(r.stdout)")
    }
}
