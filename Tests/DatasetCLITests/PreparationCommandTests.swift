import DatasetKit
import Foundation
import Testing

/// `pack --background black --ignore-orientation` is recorded in manifest.json, copied by
/// `train` into model.json, and applied by `predict` and required by `evaluate`.
@Suite struct PreparationCommandTests {
    /// `TrainCommandTests.picture` with its left quarter fully transparent, as an RGBA PNG, and
    /// the same picture composited by hand over black and over white, as RGB PNGs.
    static func pictures(_ label: Int, _ seed: Int) throws -> (rgba: [UInt8], overBlack: [UInt8], overWhite: [UInt8]) {
        let picture = try ImageDecoder.decode(TrainCommandTests.picture(label, seed)).image
        let clear = (0..<(20 * 20)).map { $0 % 20 < 5 }
        func over(_ value: UInt8) throws -> [UInt8] {
            let pixels = (0..<(20 * 20 * 3)).map { clear[$0 / 3] ? value : picture.pixels[$0] }
            return try ImageEncoder.encode(RGBImage(width: 20, height: 20, pixels: pixels), as: .png(compressionLevel: 1))
        }
        let rgba = try ImageEncoder.encodePNG(RGBAImage(picture, alpha: clear.map { $0 ? 0 : 255 }), compressionLevel: 1)
        return (rgba, try over(0), try over(255))
    }

    /// The probabilities `predict --json` prints for each of `files`, in order.
    static func predictions(_ model: String, _ files: [String]) throws -> [[Double]] {
        let r = try CLI.run(["predict", model] + files + ["--json", "--top", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return items.map { item in
            ((item["prediction"] as? [[String: Any]]) ?? []).sorted { ($0["label"] as? String ?? "") < ($1["label"] as? String ?? "") }
                .map { $0["probability"] as? Double ?? .nan }
        }
    }

    /// A JSON object's field, as its canonical text (so two objects compare whole).
    static func text(_ json: [String: Any], _ path: [String]) throws -> String {
        var node: Any = json
        for key in path { node = try #require((node as? [String: Any])?[key], "\(path)") }
        return String(decoding: try JSONSerialization.data(withJSONObject: node, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }

    @Test func aPacksDecodeSettingsAreRecordedAndPredictAppliesThem() throws {
        let s = Scratch()
        for (label, name) in ["a", "b"].enumerated() {
            for i in 0..<8 { s.write("src/train/\(name)/\(i).png", try Self.pictures(label, i).rgba) }
            for i in 0..<2 { s.write("src/test/\(name)/t\(i).png", try Self.pictures(label, 100 + i).rgba) }
        }
        let pack = try CLI.run(["pack", s.path + "/src", "--to", s.path + "/shards", "--size", "16", "--background", "black",
                                "--ignore-orientation", "--normalize", "tf", "-q"])
        #expect(pack.status == 0, "\(pack.stderr)")
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(s.read("shards/manifest.json"))) as? [String: Any])
        #expect(try Self.text(manifest, ["preparation", "background"]) == #"{"blue":0,"green":0,"red":0}"#)
        #expect(try Self.text(manifest, ["preparation", "applyOrientation"]) == "false")
        #expect(try Self.text(manifest, ["preparation", "normalization", "kind"]) == #""tf""#)

        let model = s.path + "/model"
        let train = try CLI.run(["train", s.path + "/shards", "--to", model, "--epochs", "3", "--batch-size", "8", "--lr", "0.01",
                                 "--threads", "2", "-q"])
        #expect(train.status == 0, "\(train.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(s.read("model/model.json"))) as? [String: Any])
        #expect(try Self.text(document, ["data", "preparation"]) == (try Self.text(manifest, ["preparation"])))

        // The RGBA file is predicted as its composite over black, which pack stored; not over white.
        let (_, overBlack, overWhite) = try Self.pictures(1, 100)
        s.write("black.png", overBlack)
        s.write("white.png", overWhite)
        let p = try Self.predictions(model, [s.path + "/src/test/b/t0.png", s.path + "/black.png", s.path + "/white.png"])
        #expect(p.count == 3 && p[0].count == 2, "\(p)")
        #expect(p[0] == p[1], "\(p)")
        #expect(p[0] != p[2], "\(p)")

        #expect(try CLI.run(["evaluate", model, s.path + "/shards"]).status == 0)
        // Shards prepared otherwise (the default white background) are refused, naming the setting.
        #expect(try CLI.run(["pack", s.path + "/src", "--to", s.path + "/white-shards", "--size", "16", "--ignore-orientation",
                             "--normalize", "tf", "-q"]).status == 0)
        let other = try CLI.run(["evaluate", model, s.path + "/white-shards"])
        #expect(other.status == 1 && other.stderr.contains("preparation.background is #ffffff, the model was trained on #000000"),
                "\(other.stderr)")

        let help = try CLI.run(["predict", "--help"])
        #expect(help.stdout.contains("data.preparation") && help.stdout.contains("--background"), "\(help.stdout)")
    }
}
