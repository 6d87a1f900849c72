import DatasetKit
import Foundation
import NeuralKit
import Testing
import TestSupport

/// `predict --backbone B --weights imagenet|PATH IMAGE...`: ImageNet classes from a with-top
/// Keras weight file, written here with random weights (no Keras, no network), printed as
/// `decode_predictions` gives them; `--weights imagenet` downloaded from a loopback mirror.
@Suite struct PredictBackboneCommandTests {
    static let withTopName = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"

    /// A MobileNetV2 weight file as Keras 2 wrote it, with random weights.
    static func writeMobileNetV2(_ path: String, includeTop: Bool = true) {
        let table = KerasWeightTable.mobileNetV2
        let model = (includeTop ? Array(table.entries) : Array(table.notopEntries)).map {
            KerasRandomWeights.ModelLayer(name: $0.name, kerasClass: $0.kerasClass, shapes: $0.shapes)
        }
        KerasH5Writer.writeLegacy(path, KerasRandomWeights.layers(model, generation: .keras2, seed: 21), generation: .keras2)
    }

    /// Two photos: a PNG and a JPEG of other sizes than the network's.
    static func writePhotos(_ s: Scratch) throws -> [String] {
        func picture(_ width: Int, _ height: Int, _ seed: Int) -> RGBImage {
            var pixels = [UInt8](repeating: 0, count: width * height * 3)
            for i in pixels.indices { pixels[i] = UInt8(truncatingIfNeeded: (i / 3 % width) * (seed + 2) + (i / 3 / width) * 3 + (i % 3) * 70) }
            return RGBImage(width: width, height: height, pixels: pixels)
        }
        s.write("photos/a.png", try ImageEncoder.encode(picture(90, 60, 1), as: .png(compressionLevel: 1)))
        s.write("photos/b.jpg", try ImageEncoder.encode(picture(50, 80, 2), as: .jpeg(quality: 90, subsampling: .s420)))
        return [s.path + "/photos/a.png", s.path + "/photos/b.jpg"]
    }

    /// One ranked line, `  1. n02123045 tabby 0.8312`.
    struct Line: Equatable {
        var rank: Int
        var wnid: String
        var name: String
        var probability: Double
    }

    /// The text output as `file:` headers, each with its ranked lines; fails on any other line.
    static func parse(_ stdout: String) -> [(file: String, lines: [Line])] {
        var out: [(file: String, lines: [Line])] = []
        for text in stdout.split(separator: "\n").map(String.init) {
            if text.hasPrefix("  ") {
                let fields = text.dropFirst(2).split(separator: " ").map(String.init)
                guard fields.count == 4, fields[0].hasSuffix("."), let rank = Int(fields[0].dropLast()), let p = Double(fields[3]),
                      fields[3].count == 6, !out.isEmpty else {
                    Issue.record("not a ranked line: \(text)")
                    continue
                }
                out[out.count - 1].lines.append(Line(rank: rank, wnid: fields[1], name: fields[2], probability: p))
            } else if text.hasSuffix(":") {
                out.append((String(text.dropLast()), []))
            } else {
                Issue.record("unexpected line: \(text)")
            }
        }
        return out
    }

    /// Each image has `top` lines ranked 1...top, of real ImageNet classes, most probable first,
    /// with probabilities that sum to at most 1.
    static func expectRanked(_ lines: [Line], top: Int) {
        let known = Set(ImageNetClasses.all.map { "\($0.wnid) \($0.name)" })
        #expect(lines.map(\.rank) == Array(1...top))
        #expect(lines.allSatisfy { known.contains("\($0.wnid) \($0.name)") }, "\(lines)")
        #expect(Set(lines.map(\.wnid)).count == top)
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $0.probability >= $1.probability })
        // Printed to 4 decimals: each may be 0.00005 high.
        #expect(lines.reduce(0) { $0 + $1.probability } <= 1 + 0.00005 * Double(top))
        #expect(lines.allSatisfy { (0...1).contains($0.probability) })
    }

    @Test func printsTheTopFiveClassesOfEachImage() throws {
        let s = Scratch()
        let weights = s.path + "/" + Self.withTopName
        Self.writeMobileNetV2(weights)
        let photos = try Self.writePhotos(s)
        let r = try CLI.run(["predict", "--backbone", "mobilenet_v2", "--weights", weights] + photos + ["--threads", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let images = Self.parse(r.stdout)
        #expect(images.map(\.file) == photos)
        for image in images { Self.expectRanked(image.lines, top: 5) }
        #expect(r.stderr.contains("mobilenet_v2: \(KerasWeightTable.mobileNetV2.entries.count) layers"), "\(r.stderr)")

        // --json: the same classes, with full precision.
        let j = try CLI.run(["predict", "--backbone", "mobilenet_v2", "--weights", weights, "--json", "--top", "3"] + photos)
        #expect(j.status == 0, "\(j.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [[String: Any]])
        #expect(items.map { $0["file"] as? String } == photos)
        for (item, image) in zip(items, images) {
            let prediction = try #require(item["prediction"] as? [[String: Any]])
            #expect(prediction.count == 3)
            #expect(prediction.map { $0["wnid"] as? String } == image.lines.prefix(3).map(\.wnid))
            #expect(prediction.map { $0["label"] as? String } == image.lines.prefix(3).map(\.name))
            for (entry, line) in zip(prediction, image.lines) {
                let p = try #require(entry["probability"] as? Double)
                #expect(abs(p - line.probability) <= 0.00005)
            }
        }
    }

    /// A folder argument means its images; with --backbone there is no model folder.
    @Test func aFolderOfImagesIsPredicted() throws {
        let s = Scratch()
        let weights = s.path + "/top.h5"
        Self.writeMobileNetV2(weights)
        _ = try Self.writePhotos(s)
        let r = try CLI.run(["predict", "--backbone", "mobilenet_v2", "--weights", weights, s.path + "/photos", "--top", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        let images = Self.parse(r.stdout)
        #expect(images.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["a.png", "b.jpg"])
        for image in images { Self.expectRanked(image.lines, top: 2) }
    }

    /// `--weights imagenet` with nothing in Keras' folders: downloaded from the mirror into the
    /// cache with progress on stderr, then found there on the next run. MobileNetV2's files
    /// have no published hash, so nothing is verified.
    @Test func imagenetWeightsAreDownloadedThenFound() throws {
        let s = Scratch()
        let file = s.path + "/served.h5"
        Self.writeMobileNetV2(file)
        let body = s.read("served.h5")
        let server = LoopbackHTTPServer(body: body, path: "/mirror/" + Self.withTopName)
        defer { server.stop() }
        let environment = ["HOME": s.path + "/home", "KERAS_HOME": s.path + "/keras", "XDG_CACHE_HOME": s.path + "/cache",
                           "DATASET_WEIGHTS_MIRROR": server.baseURL + "/mirror"]
        let photos = try Self.writePhotos(s)
        let first = try CLI.run(["predict", "--backbone", "mobilenet_v2", "--weights", "imagenet", photos[0]], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let cached = s.path + "/cache/dataset/models/" + Self.withTopName
        #expect(first.stderr.contains("downloading \(server.baseURL)/mirror/\(Self.withTopName) to \(cached)"), "\(first.stderr)")
        #expect(first.stderr.contains("download: "), "\(first.stderr)")
        #expect(first.stderr.contains("downloaded \(cached) ("), "\(first.stderr)")
        #expect(first.stderr.contains("no published hash to check"))
        #expect(s.read("cache/dataset/models/" + Self.withTopName) == body)
        #expect(server.requests.count == 1)
        Self.expectRanked(try #require(Self.parse(first.stdout).first).lines, top: 5)

        let second = try CLI.run(["predict", "--backbone", "mobilenet_v2", photos[0]], environment: environment)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("using \(cached)"), "\(second.stderr)")
        #expect(!second.stderr.contains("downloading"))
        #expect(server.requests.count == 1)
        #expect(second.stdout == first.stdout)
    }

    /// Offline: the resolver's message, both lines, and where to put the file by hand.
    @Test func offlineSaysWhatToDo() throws {
        let s = Scratch()
        let photos = try Self.writePhotos(s)
        let mirror = "http://127.0.0.1:\(LoopbackHTTPServer.closedPort())"
        let r = try CLI.run(["predict", "--backbone", "mobilenet_v2", photos[0]],
                            environment: ["HOME": s.path + "/home", "XDG_CACHE_HOME": s.path + "/cache", "DATASET_WEIGHTS_MIRROR": mirror])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error: cannot get \(Self.withTopName) from \(mirror)/\(Self.withTopName)"), "\(r.stderr)")
        #expect(r.stderr.contains("\nTo work without the download, fetch"), "\(r.stderr)")
        #expect(r.stderr.contains(s.path + "/home/.keras/models/"))
    }

    @Test func theFileWithoutTheClassifierIsRefused() throws {
        let s = Scratch()
        let notop = s.path + "/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"
        Self.writeMobileNetV2(notop, includeTop: false)
        let photos = try Self.writePhotos(s)
        let r = try CLI.run(["predict", "--backbone", "mobilenet_v2", "--weights", notop, photos[0]])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: \(notop): this is the file without the classifier"), "\(r.stderr)")
        #expect(r.stderr.contains("predict needs \(Self.withTopName)"), "\(r.stderr)")
    }

    @Test func badArgumentsNameTheFlag() throws {
        let s = Scratch()
        let photos = try Self.writePhotos(s)
        let cases: [([String], String)] = [
            (["--backbone", "resnet18", photos[0]], "--backbone must be one of vgg16, resnet50, mobilenet_v2, inception_v3"),
            (["--backbone", "vgg16", "--weights", "none", photos[0]], "--weights none"),
            (["--backbone", "vgg16", "--threshold", "0.5", photos[0]], "--threshold"),
            (["--backbone", "vgg16"], "give at least one image"),
            (["--backbone", "vgg16", s.path + "/missing.jpg"], "does not exist"),
            (["--weights", "imagenet", s.path, photos[0]], "--weights goes with --backbone"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(["predict"] + arguments)
            #expect(r.status == 64, "\(arguments): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        let help = try CLI.run(["predict", "--help"])
        #expect(help.stdout.contains("--backbone <name>"))
        #expect(help.stdout.contains("--weights <imagenet|path>"))
    }
}
