import Crypto
import Foundation
import Testing
@testable import DatasetKit

@Suite struct PackJobTests {
    @Test func npyRowsAreWhatResizeWritesAsPNGAndLabelsAreClassIndices() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        let spec = ResizeSpec(size: PixelSize(width: 24, height: 20), mode: .crop, filter: .area)
        let job = PackJob(preparation: ImagePreparation(resize: spec))
        let report = try PackFixtures.run(job, source: source, to: folder.path + "/out")
        #expect(report.summary.done == 7 && report.summary.failed == 0)
        let manifest = try #require(report.manifest)
        #expect(manifest.classes == ["cat", "dog"] && manifest.splits.map(\.name) == ["test", "train"])
        #expect(manifest.splits.map(\.count) == [2, 5] && manifest.splits.map(\.classCounts) == [[1, 1], [3, 2]])
        let reference = ResizeJob(spec: spec, output: ImageOutput(format: .png), overwrite: true)
        for split in ["test", "train"] {
            let images = try NPYReader(path: folder.path + "/out/\(split)-00000.images.npy")
            let labels = try NPYReader(path: folder.path + "/out/\(split)-00000.labels.npy")
            #expect(images.shape == [images.rowCount, 20, 24, 3] && images.dtype == .uint8)
            #expect(labels.shape == [images.rowCount] && labels.dtype == .int64)
            let sources = try PackFixtures.sources(folder.path + "/out/\(split)-00000.files.txt")
            #expect(sources.count == images.rowCount && sources == sources.sorted())
            for (row, path) in sources.enumerated() {
                let png = folder.path + "/ref.png"
                #expect(reference.process(source: source + "/" + path, destination: png) == .done())
                let expected = try ImageDecoder.decode(FileIO.read(png)).image
                #expect(Array(images.row(row)) == expected.pixels, "\(path)")
                #expect(labels.int64Values()[row] == (path.split(separator: "/")[1] == "cat" ? 0 : 1))
            }
        }
    }

    @Test func shardsSplitAtTheShardSizeWithKnownNames() throws {
        let folder = TemporaryFolder()
        for i in 0..<7 { folder.write("src/c\(i % 2)/\(i).jpg", PackFixtures.jpeg(PackFixtures.picture(i))) }
        let report = try PackFixtures.run(PackFixtures.job(shardSize: 3), source: folder.path + "/src", to: folder.path + "/out")
        let split = try #require(report.manifest?.splits.first)
        #expect(split.name == "train" && split.shards.map(\.rows) == [3, 3, 1])
        #expect(split.shards.map { $0.files.map(\.name) } == (0..<3).map { i in
            ["train-0000\(i).images.npy", "train-0000\(i).labels.npy", "train-0000\(i).files.txt"]
        })
        #expect(try NPYReader(path: folder.path + "/out/train-00002.images.npy").shape == [1, 12, 16, 3])
        let all = try (0..<3).flatMap { try PackFixtures.sources(folder.path + "/out/train-0000\($0).files.txt") }
        #expect(all == (0..<7).map { "c\($0 % 2)/\($0).jpg" }.sorted())
    }

    @Test func manifestDigestsAndSizesAreThoseOfTheFiles() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        for format in ShardFormat.allCases {
            let out = folder.path + "/out-\(format)"
            let manifest = try #require(try PackFixtures.run(PackFixtures.job(format: format, shardSize: 2), source: source, to: out).manifest)
            let onDisk = try Manifest(path: out + "/manifest.json")
            #expect(onDisk == manifest && onDisk.formatVersion == 1)
            for file in manifest.splits.flatMap({ $0.shards.flatMap(\.files) }) {
                let bytes = try FileIO.read(out + "/" + file.name)
                #expect(file.sha256 == SHA256.hash(data: bytes).hexString, "\(file.name)")
                #expect(file.bytes == bytes.count)
            }
            #expect(try ClassList.read(path: out + "/classes.txt") == ["cat", "dog"])
        }
    }

    @Test func aBadImageIsReportedLeftOutAndTheShardStillAddsUp() throws {
        let folder = TemporaryFolder()
        let good = PackFixtures.jpeg(PackFixtures.picture(1))
        folder.write("src/a/1.jpg", good)
        folder.write("src/a/2.jpg", Array(good.prefix(good.count / 2)))
        folder.write("src/a/3.jpg", [])
        folder.write("src/b/4.jpg", good)
        folder.write("src/b/5.png", PackFixtures.jpeg(PackFixtures.picture(2)))  // misnamed: a warning only
        let report = try PackFixtures.run(PackFixtures.job(), source: folder.path + "/src", to: folder.path + "/out")
        #expect(report.summary.done == 3 && report.summary.failed == 2 && report.summary.warnings.count == 1)
        #expect(report.summary.failures.map { $0.path.hasSuffix("2.jpg") || $0.path.hasSuffix("3.jpg") } == [true, true])
        let shard = try #require(report.manifest?.splits.first?.shards.first)
        #expect(shard.rows == 3)
        let images = try NPYReader(path: folder.path + "/out/train-00000.images.npy")
        #expect(images.rowCount == 3)
        #expect(try shard.files[0].sha256 == SHA256.hash(data: FileIO.read(images.path)).hexString)
        #expect(try NPYReader(path: folder.path + "/out/train-00000.labels.npy").int64Values() == [0, 1, 1])
    }

    @Test func strictStopsAtTheFirstFailureAndWritesNoManifest() throws {
        let folder = TemporaryFolder()
        folder.write("src/a/1.jpg", PackFixtures.jpeg(PackFixtures.picture(1)))
        folder.write("src/a/2.jpg", [1, 2, 3])
        folder.write("src/a/3.jpg", PackFixtures.jpeg(PackFixtures.picture(3)))
        let report = try PackFixtures.run(PackFixtures.job(), source: folder.path + "/src", to: folder.path + "/out", strict: true)
        #expect(report.manifest == nil && report.summary.failed == 1 && !report.summary.succeeded)
        #expect(!FileIO.exists(folder.path + "/out/manifest.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/out").isEmpty)
    }

    @Test func multiHotLayoutGivesUInt8Rows() throws {
        let folder = TemporaryFolder()
        for (i, tags) in [["soups"], ["meat", "mains"], [], ["mains"]].enumerated() {
            folder.write("ml/ImageSets/\(i).jpg", PackFixtures.jpeg(PackFixtures.picture(i)))
            folder.write("ml/Annotations/\(i).txt", Array(tags.map { $0 + "\n" }.joined().utf8))
        }
        folder.write("ml/classes.txt", Array("soups\nmains\nmeat\n".utf8))
        let report = try PackFixtures.run(PackFixtures.job(shardSize: 3), source: folder.path + "/ml", to: folder.path + "/out")
        let manifest = try #require(report.manifest)
        #expect(manifest.labels == .multiHot && manifest.classes == ["soups", "mains", "meat"])
        #expect(manifest.splits.map(\.classCounts) == [[1, 2, 1]])
        let first = try NPYReader(path: folder.path + "/out/train-00000.labels.npy")
        #expect(first.shape == [3, 3] && first.dtype == .uint8)
        #expect(first.uint8Values() == [1, 0, 0, /**/ 0, 1, 1, /**/ 0, 0, 0])
        #expect(try NPYReader(path: folder.path + "/out/train-00001.labels.npy").uint8Values() == [0, 1, 0])
        #expect(try PackFixtures.sources(folder.path + "/out/train-00000.files.txt") == ["ImageSets/0.jpg", "ImageSets/1.jpg", "ImageSets/2.jpg"])
    }

    @Test func shuffleIsDeterministicAndIndependentOfThreads() throws {
        let folder = TemporaryFolder()
        for i in 0..<12 { folder.write("src/c\(i % 3)/\(i).jpg", PackFixtures.jpeg(PackFixtures.picture(i))) }
        var job = PackFixtures.job()
        job.shuffleSeed = 7
        func order(_ out: String, jobs: Int) throws -> [String] {
            _ = try PackFixtures.run(job, source: folder.path + "/src", to: folder.path + "/" + out, jobs: jobs)
            return try PackFixtures.sources(folder.path + "/\(out)/train-00000.files.txt")
        }
        let a = try order("a", jobs: 1), b = try order("b", jobs: 2)
        #expect(a == b && a != a.sorted() && Set(a).count == 12)
        #expect(try FileIO.read(folder.path + "/a/train-00000.images.npy") == FileIO.read(folder.path + "/b/train-00000.images.npy"))
        job.shuffleSeed = 8
        #expect(try order("c", jobs: 2) != a)
        // Rows still follow their sources: labels agree with the class folders.
        let labels = try NPYReader(path: folder.path + "/a/train-00000.labels.npy").int64Values()
        #expect(labels == a.map { Int64(String($0.dropFirst().prefix(1)))! })
    }

    @Test func float32RowsHoldNormalisedValues() throws {
        let folder = TemporaryFolder()
        folder.write("src/a/1.png", PackFixtures.png(PackFixtures.picture(1, width: 16, height: 12)))
        folder.write("src/b/2.png", PackFixtures.png(PackFixtures.picture(2, width: 16, height: 12)))
        var job = PackFixtures.job()
        job.dtype = .float32
        let pixels = [PackFixtures.picture(1, width: 16, height: 12).pixels, PackFixtures.picture(2, width: 16, height: 12).pixels]
        for kind in Normalization.Kind.allCases {
            job.normalization = kind
            let out = folder.path + "/out-\(kind)"
            let manifest = try #require(try PackFixtures.run(job, source: folder.path + "/src", to: out).manifest)
            let values = try NPYReader(path: out + "/train-00000.images.npy").float32Values()
            #expect(manifest.image.dtype == "float32" && values.count == 2 * 16 * 12 * 3)
            let all = pixels[0] + pixels[1]
            // The dataset's statistics, computed directly.
            let means = (0..<3).map { c in stride(from: c, to: all.count, by: 3).reduce(0.0) { $0 + Double(all[$1]) } / Double(all.count / 3) / 255 }
            let stds = (0..<3).map { c in
                (stride(from: c, to: all.count, by: 3).reduce(0.0) { $0 + pow(Double(all[$1]) / 255 - means[c], 2) } / Double(all.count / 3)).squareRoot()
            }
            // Keras' preprocess_input modes; caffe reads the channels as B, G, R.
            let (scale, mean, std, bgr): (Double, [Double], [Double], Bool) = switch kind {
            case .none: (1, [0, 0, 0], [1, 1, 1], false)
            case .rescale: (1 / 255, [0, 0, 0], [1, 1, 1], false)
            case .torch: (1 / 255, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225], false)
            case .caffe: (1, [103.939, 116.779, 123.68], [1, 1, 1], true)
            case .tf: (1 / 127.5, [1, 1, 1], [1, 1, 1], false)
            case .dataset: (1 / 255, means, stds, false)
            }
            for i in Swift.stride(from: 0, to: all.count, by: 97) {
                let c = i % 3, pixel = all[i - c + (bgr ? 2 - c : c)]
                let expected = (Double(pixel) * scale - mean[c]) / std[c]
                #expect(abs(Double(values[i]) - expected) < 1e-5 * max(1, abs(expected)), "\(kind) at \(i)")
            }
            #expect(zip(manifest.normalization.mean, mean).allSatisfy { abs($0 - $1) < 1e-9 })
        }
    }

    @Test func webDatasetSamplesAreAdjacentJPEGAndClassMembers() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        let spec = ResizeSpec(size: PixelSize(width: 16, height: 12))
        let job = PackJob(preparation: ImagePreparation(resize: spec), format: .webdataset, shardSize: 3, jpegQuality: 90)
        let manifest = try #require(try PackFixtures.run(job, source: source, to: folder.path + "/out").manifest)
        #expect(manifest.splits.map { $0.shards.flatMap { $0.files.map(\.name) } } == [
            ["test-000000.tar", "test-000000.files.txt"],
            ["train-000000.tar", "train-000000.files.txt", "train-000001.tar", "train-000001.files.txt"],
        ])
        let members = try ArchiveContents.read(folder.path + "/out/train-000000.tar")
        #expect(members.map(\.path) == ["train-000000.jpg", "train-000000.cls", "train-000001.jpg", "train-000001.cls",
                                        "train-000002.jpg", "train-000002.cls"])
        #expect(members.filter { $0.path.hasSuffix(".cls") }.map(\.text) == ["0", "0", "0"])
        let second = try ArchiveContents.read(folder.path + "/out/train-000001.tar")
        #expect(second.map(\.path) == ["train-000003.jpg", "train-000003.cls", "train-000004.jpg", "train-000004.cls"])
        #expect(second.filter { $0.path.hasSuffix(".cls") }.map(\.text) == ["1", "1"])
        // Each JPEG is the resized image encoded at the quality asked for.
        let sources = try PackFixtures.sources(folder.path + "/out/train-000000.files.txt")
        for (k, path) in sources.enumerated() {
            let resized = try ResizeJob(spec: spec).resizedImage(FileIO.read(source + "/" + path)).image
            #expect(members[2 * k].data == (try ImageEncoder.encode(resized, as: .jpeg(quality: 90, subsampling: .s420))))
        }
    }

    @Test func webDatasetMultiHotSamplesCarryJSON() throws {
        let folder = TemporaryFolder()
        folder.write("ml/ImageSets/x.jpg", PackFixtures.jpeg(PackFixtures.picture(1)))
        folder.write("ml/Annotations/x.txt", Array("b\na\n".utf8))
        folder.write("ml/classes.txt", Array("a\nb\nc\n".utf8))
        _ = try PackFixtures.run(PackFixtures.job(format: .webdataset), source: folder.path + "/ml", to: folder.path + "/out")
        let members = try ArchiveContents.read(folder.path + "/out/train-000000.tar")
        #expect(members.map(\.path) == ["train-000000.jpg", "train-000000.json"])
        #expect(members[1].text == #"{"labels":["a","b"],"vector":[1,1,0]}"#)
    }

    @Test func aRepackWithFewerShardsRemovesTheOldOnes() throws {
        let folder = TemporaryFolder()
        for i in 0..<5 { folder.write("src/c/\(i).jpg", PackFixtures.jpeg(PackFixtures.picture(i))) }
        _ = try PackFixtures.run(PackFixtures.job(shardSize: 2), source: folder.path + "/src", to: folder.path + "/out")
        #expect(FileIO.exists(folder.path + "/out/train-00002.images.npy"))
        folder.write("out/notes.txt", [1])
        _ = try PackFixtures.run(PackFixtures.job(shardSize: 5), source: folder.path + "/src", to: folder.path + "/out")
        #expect(folder.files(under: "out") == ["classes.txt", "manifest.json", "notes.txt", "train-00000.files.txt",
                                               "train-00000.images.npy", "train-00000.labels.npy"])
    }

    @Test func aFlatClassTreeIsOneTrainSplitAndClassesTxtSetsTheOrder() throws {
        let folder = TemporaryFolder()
        folder.write("src/zebra/1.jpg", PackFixtures.jpeg(PackFixtures.picture(1)))
        folder.write("src/ant/2.jpg", PackFixtures.jpeg(PackFixtures.picture(2)))
        folder.write("src/loose.jpg", PackFixtures.jpeg(PackFixtures.picture(3)))
        folder.write("src/classes.txt", Array("zebra\nant\n".utf8))
        let input = try PackInput.read(root: folder.path + "/src")
        #expect(input.classes == ["zebra", "ant"] && input.splits.map(\.name) == ["train"])
        #expect(input.splits[0].items.map(\.label) == [.index(1), .index(0)])
        #expect(input.warnings.count == 1 && input.warnings[0].path.hasSuffix("loose.jpg"))
    }
}
