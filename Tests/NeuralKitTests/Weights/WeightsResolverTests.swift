import DatasetKit
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import NeuralKit

/// `--weights` resolution with fake Keras and cache folders and a loopback mirror. Every test
/// passes its own environment, so none touches the real `~/.keras` or races another.
@Suite struct WeightsResolverTests {
    /// Bytes standing in for a weight file, and a catalog entry whose hash is theirs.
    static let body = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }

    static func md5(_ bytes: [UInt8]) -> String {
        let digest = StreamingDigest(.md5)
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.finalize()
    }

    static let entry = KerasApplicationWeights(backbone: "vgg16", includeTop: false,
                                               fileName: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
                                               url: "https://storage.googleapis.com/unused", fileHash: md5(body))

    /// A fake home with `.keras/models` and `.cache` below it.
    struct Home {
        let folder = TemporaryFolder()
        var home: String { folder.path + "/home" }
        var kerasModels: String { home + "/.keras/models" }
        var cacheModels: String { home + "/.cache/dataset/models" }
        func environment(_ extra: [String: String] = [:]) -> [String: String] {
            ["HOME": home].merging(extra) { $1 }
        }
        func place(_ bytes: [UInt8], in folder: String, name: String = WeightsResolverTests.entry.fileName) -> String {
            try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            precondition(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes)))
            return folder + "/" + name
        }
    }

    final class EventLog: Sendable {
        let events = Mutex<[WeightsEvent]>([])
        var all: [WeightsEvent] { events.withLock { $0 } }
        var record: WeightsResolver.Events { { event in self.events.withLock { $0.append(event) } } }
        var verifications: Int { all.filter { if case .verifying = $0 { true } else { false } }.count }
    }

    @Test func findsTheFileInKerasHome() throws {
        let home = Home()
        let kerasHome = home.folder.path + "/kh"
        let path = home.place(Self.body, in: kerasHome + "/models")
        let resolver = try WeightsResolver(environment: home.environment(["KERAS_HOME": kerasHome]))
        #expect(resolver.locations.kerasFolders == [kerasHome + "/models", home.kerasModels])
        let found = try #require(resolver.find(Self.entry))
        #expect(found == ResolvedWeights(path: path, source: .found, verified: true))
        // Keras' folder is only read: the verification record goes to the tool's cache.
        #expect(try FileManager.default.contentsOfDirectory(atPath: kerasHome + "/models") == [Self.entry.fileName])
        #expect(FileIO.exists(home.cacheModels + "/" + Self.entry.fileName + ".verified"))
    }

    @Test func verificationIsRecordedAndTrustedOnlyWhileTheFileIsUnchanged() throws {
        let home = Home()
        let path = home.place(Self.body, in: home.kerasModels)
        let resolver = try WeightsResolver(environment: home.environment())
        let log = EventLog()
        #expect(resolver.find(Self.entry, events: log.record)?.path == path)
        #expect(resolver.find(Self.entry, events: log.record)?.path == path)
        #expect(log.verifications == 1)

        // Same size, other bytes: the record no longer fits, the hash is taken and fails.
        var changed = Self.body
        changed[100] ^= 1
        precondition(FileManager.default.createFile(atPath: path, contents: Data(changed)))
        #expect(resolver.find(Self.entry, events: log.record) == nil)
        #expect(log.verifications == 2)
        #expect(log.all.contains { if case .skipped(path, let reason) = $0 { reason.contains(Self.md5(Self.body)) } else { false } })
        // Never deleted: it is Keras' file.
        #expect(FileIO.exists(path))
    }

    @Test func forgedOrDamagedRecordIsIgnored() throws {
        let home = Home()
        let path = home.place(Array(Self.body.prefix(1000)), in: home.kerasModels)
        let resolver = try WeightsResolver(environment: home.environment())
        // A record claiming the truncated file is fine, but with its size and times wrong.
        let stamp = home.cacheModels + "/" + Self.entry.fileName + ".verified"
        let forged = ["dataset-verified 1", "path \(path)", "device 1", "inode 1", "size 1000", "modified 0", "changed 0",
                      "algorithm md5", "hash \(Self.md5(Self.body))", ""].joined(separator: "\n")
        _ = home.place(Array(forged.utf8), in: home.cacheModels, name: Self.entry.fileName + ".verified")
        #expect(resolver.find(Self.entry) == nil)
        for junk in [[UInt8](repeating: 0xFF, count: 64), Array(repeating: 65, count: 100_000), []] {
            precondition(FileManager.default.createFile(atPath: stamp, contents: Data(junk)))
            #expect(resolver.find(Self.entry) == nil)
        }
    }

    @Test func stampRoundTripsAndRefusesMalformedText() throws {
        let home = Home()
        let path = home.place(Self.body, in: home.kerasModels)
        let stamp = try #require(VerifiedStamp(file: path, digest: ArchiveDigest(algorithm: .md5, hex: Self.md5(Self.body))))
        #expect(VerifiedStamp(parsing: Array(stamp.text.utf8)) == stamp)
        let lines = stamp.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in 1..<9 {
            var broken = lines
            // A stray character before each value: a relative path, a non-number, an unknown name.
            broken[index] = broken[index].replacingOccurrences(of: " ", with: " x", options: [], range: broken[index].range(of: " "))
            #expect(VerifiedStamp(parsing: Array(broken.joined(separator: "\n").utf8)) == nil, "line \(index)")
        }
        #expect(VerifiedStamp(parsing: Array(lines.dropLast().joined(separator: "\n").utf8)) == nil)
        #expect(VerifiedStamp(parsing: Array(stamp.text.uppercased().utf8)) == nil)
    }

    @Test func downloadsThroughTheMirrorIntoTheCache() throws {
        let home = Home()
        let server = LoopbackHTTPServer(body: Self.body, path: "/mirror/" + Self.entry.fileName)
        let cache = home.folder.path + "/xdg"
        let resolver = try WeightsResolver(environment: home.environment([
            "XDG_CACHE_HOME": cache, "DATASET_WEIGHTS_MIRROR": server.baseURL + "/mirror/"]))
        let log = EventLog()
        #expect(resolver.find(Self.entry) == nil)
        let result = try resolver.download(Self.entry, events: log.record)

        let destination = cache + "/dataset/models/" + Self.entry.fileName
        #expect(result == ResolvedWeights(path: destination, source: .downloaded, verified: true))
        #expect(try FileIO.read(destination) == Self.body)
        #expect(log.all.first == .downloading(url: server.url.absoluteString, destination: destination))
        #expect(log.all.last == .progress(DownloadProgress(completed: Int64(Self.body.count), total: Int64(Self.body.count), resumedFrom: 0)))
        #expect(server.requests.map(\.path) == ["/mirror/" + Self.entry.fileName])
        #expect(!FileIO.exists(home.home + "/.keras"))

        // The next run finds it in the cache, trusting the record the download left.
        let again = EventLog()
        #expect(resolver.find(Self.entry, events: again.record) == ResolvedWeights(path: destination, source: .found, verified: true))
        #expect(again.all.isEmpty)
    }

    @Test func imagenetChecksTheHashKerasPublishes() throws {
        let home = Home()
        let real = try #require(KerasApplicationWeights.lookup(backbone: "resnet50", includeTop: false))
        let server = LoopbackHTTPServer(body: Self.body, path: "/" + real.fileName)
        let resolver = try WeightsResolver(environment: home.environment(["DATASET_WEIGHTS_MIRROR": server.baseURL]))
        let error = try #require(throws: WeightsError.self) {
            try resolver.resolve(.imagenet, backbone: "resnet50", includeTop: false)
        }
        guard case .downloadFailed(real.fileName, server.url.absoluteString, _, .digestMismatch(_, .md5, let expected, let actual)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(expected == "4d473c1dd8becc155b73f8504c6f6626")
        #expect(actual == Self.md5(Self.body))
        #expect(!FileIO.exists(home.cacheModels + "/" + real.fileName))
        #expect(!FileIO.exists(home.cacheModels + "/" + real.fileName + ".part"))
    }

    @Test func unreachableMirrorSaysWhereToPutTheFile() throws {
        let home = Home()
        let mirror = "http://127.0.0.1:\(LoopbackHTTPServer.closedPort())"
        let resolver = try WeightsResolver(environment: home.environment(["DATASET_WEIGHTS_MIRROR": mirror]))
        let error = try #require(throws: WeightsError.self) {
            try resolver.resolveImageNet(backbone: "vgg16", includeTop: false)
        }
        let name = "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"
        guard case .downloadFailed(name, mirror + "/" + name, [home.kerasModels, home.cacheModels], let cause) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(cause.isUnreachable, "\(cause)")
        let message = error.description
        #expect(message.contains(mirror + "/" + name))
        #expect(message.contains("copy \(name) into \(home.kerasModels)/ or \(home.cacheModels)/"), "\(message)")
    }

    @Test func mirrorWithoutTheFileIsAnHTTPError() throws {
        let home = Home()
        let server = LoopbackHTTPServer(body: Self.body, path: "/elsewhere.h5")
        let resolver = try WeightsResolver(environment: home.environment(["DATASET_WEIGHTS_MIRROR": server.baseURL]))
        let error = try #require(throws: WeightsError.self) {
            try resolver.resolveImageNet(backbone: "inception_v3", includeTop: true)
        }
        guard case .downloadFailed(_, _, _, .httpStatus(_, 404)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(error.description.contains("404"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.cacheModels).isEmpty)
    }

    @Test func damagedCacheCopyIsPassedOverThenReplaced() throws {
        let home = Home()
        let bad = home.place(Array(Self.body.reversed()), in: home.cacheModels)
        try FileManager.default.createDirectory(atPath: home.kerasModels + "/" + Self.entry.fileName, withIntermediateDirectories: true)
        let server = LoopbackHTTPServer(body: Self.body, path: "/" + Self.entry.fileName)
        let resolver = try WeightsResolver(environment: home.environment(["DATASET_WEIGHTS_MIRROR": server.baseURL]))
        let log = EventLog()
        #expect(resolver.find(Self.entry, events: log.record) == nil)
        let skipped = log.all.compactMap { if case .skipped(let path, _) = $0 { path } else { nil } }
        #expect(skipped == [home.kerasModels + "/" + Self.entry.fileName, bad])
        #expect(try resolver.download(Self.entry).path == bad)
        #expect(try FileIO.read(bad) == Self.body)
    }

    @Test func kerasCopyComesBeforeTheCache() throws {
        let home = Home()
        let keras = home.place(Self.body, in: home.kerasModels)
        _ = home.place(Self.body, in: home.cacheModels)
        let resolver = try WeightsResolver(environment: home.environment())
        #expect(resolver.find(Self.entry)?.path == keras)
    }

    @Test func unhashedEntryIsAcceptedAsFound() throws {
        let home = Home()
        let mobilenet = try #require(KerasApplicationWeights.lookup(backbone: "mobilenet_v2", includeTop: false))
        let path = home.place([1, 2, 3], in: home.kerasModels, name: mobilenet.fileName)
        let resolver = try WeightsResolver(environment: home.environment())
        #expect(try resolver.resolveImageNet(backbone: "mobilenet_v2", includeTop: false)
                == ResolvedWeights(path: path, source: .found, verified: false))
    }

    @Test func noneAndPathsPassThrough() throws {
        let home = Home()
        let resolver = try WeightsResolver(environment: home.environment())
        #expect(try resolver.resolve(.none, backbone: "vgg16", includeTop: false) == nil)
        #expect(try resolver.resolve(.file("rel/w.h5"), backbone: "vgg16", includeTop: false)
                == ResolvedWeights(path: "rel/w.h5", source: .given, verified: false))
        #expect(throws: WeightsError.unknownBackbone("vgg19", includeTop: true)) {
            try resolver.resolveImageNet(backbone: "vgg19", includeTop: true)
        }
    }

    @Test func mirrorMustBeHTTP() throws {
        let home = Home()
        let resolver = try WeightsResolver(environment: home.environment(["DATASET_WEIGHTS_MIRROR": "/srv/weights"]))
        #expect(throws: WeightsError.badMirror("/srv/weights")) {
            try resolver.resolveImageNet(backbone: "vgg16", includeTop: true)
        }
    }

    @Test func locationsFollowTheEnvironment() throws {
        let plain = try WeightsLocations(environment: ["HOME": "/h/"])
        #expect(plain == WeightsLocations(kerasFolders: ["/h/.keras/models"], cacheFolder: "/h/.cache/dataset/models", mirror: nil))
        let set = try WeightsLocations(environment: ["HOME": "/h", "KERAS_HOME": "~/k", "XDG_CACHE_HOME": "/c",
                                                     "DATASET_WEIGHTS_MIRROR": "https://m.example/w//"])
        #expect(set == WeightsLocations(kerasFolders: ["/h/k/models", "/h/.keras/models"], cacheFolder: "/c/dataset/models",
                                        mirror: "https://m.example/w"))
        #expect(set.searchFolders.last == "/c/dataset/models")
        // A relative XDG_CACHE_HOME is ignored, as the XDG specification says.
        #expect(try WeightsLocations(environment: ["HOME": "/h", "XDG_CACHE_HOME": "rel"]).cacheFolder == "/h/.cache/dataset/models")
    }
}

@Suite struct WeightsChoiceTests {
    @Test func parsesKeywordsAndPaths() throws {
        #expect(try WeightsChoice(parsing: "none") == WeightsChoice.none)
        #expect(try WeightsChoice(parsing: "imagenet") == .imagenet)
        #expect(try WeightsChoice(parsing: "./imagenet") == .file("./imagenet"))
        #expect(try WeightsChoice(parsing: "/w/vgg16.h5") == .file("/w/vgg16.h5"))
        #expect(throws: WeightsError.emptyChoice) { try WeightsChoice(parsing: "") }
    }
}

@Suite struct KerasApplicationWeightsTests {
    @Test func catalogHasEveryBackboneWithAndWithoutTop() throws {
        #expect(KerasApplicationWeights.catalog.count == 8)
        for backbone in KerasApplicationWeights.backbones {
            for includeTop in [true, false] {
                let entry = try #require(KerasApplicationWeights.lookup(backbone: backbone, includeTop: includeTop))
                #expect(entry.url.hasPrefix("https://storage.googleapis.com/tensorflow/keras-applications/"))
                #expect(entry.url.hasSuffix("/" + entry.fileName))
                #expect(entry.fileName.hasSuffix(".h5"))
                #expect(entry.fileName.contains("notop") || entry.fileName.contains("no_top") == !includeTop)
                if backbone == "mobilenet_v2" {
                    #expect(entry.fileHash == nil && entry.digest == nil)
                } else {
                    #expect(entry.digest?.algorithm == .md5)
                    #expect(entry.fileHash?.count == 32)
                }
            }
        }
        #expect(KerasApplicationWeights.lookup(backbone: "vgg16", includeTop: false)?.fileHash == "6d6bbae143d832006294945121d1f1fc")
        #expect(KerasApplicationWeights.lookup(backbone: "mobilenet_v2", includeTop: true)?.url
                == "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5")
    }

    @Test func hashLengthPicksTheAlgorithmAsKerasDoes() {
        let sha = String(repeating: "a", count: 64)
        #expect(KerasApplicationWeights(backbone: "x", includeTop: true, fileName: "x", url: "x", fileHash: sha).digest
                == ArchiveDigest(algorithm: .sha256, hex: sha))
        #expect(KerasApplicationWeights(backbone: "x", includeTop: true, fileName: "x", url: "x", fileHash: "ab").digest?.algorithm == .md5)
    }
}
