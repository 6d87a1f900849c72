import Foundation
import Testing
@testable import DatasetKit

/// Runs an unpack as the CLI does (without progress).
func unpack(_ archive: String, to destination: String, _ configure: (inout Unpacker) -> Void = { _ in }) -> UnpackSummary {
    var unpacker = Unpacker(archive: archive, destination: destination)
    configure(&unpacker)
    return unpacker.run()
}

/// Bytes that do not compress, `count` long, different for each `seed`.
func noise(_ count: Int, seed: UInt64) -> [UInt8] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

func fileMode(_ path: String) -> UInt32 {
    var info = stat()
    return lstat(path, &info) == 0 ? UInt32(info.st_mode) : 0
}

@Suite struct UnpackFormatTests {
    static let big = noise(3 << 20, seed: 7)  // spans many read blocks

    static let entries: [FixtureEntry] = [
        .directory("data"),
        .directory("data/cats"),
        .file("data/cats/a.jpg", bytes: noise(70_000, seed: 1)),
        .file("data/cats/empty.txt", ""),
        .file("data/dogs/b.jpg", bytes: big),   // its folder has no entry of its own
        .file("data/run.sh", "#!/bin/sh\n", mode: 0o755),
        .file("data/private.txt", "secret", mode: 0o600),
    ]

    @Test(arguments: FixtureArchiveFormat.allCases)
    func roundTripsEveryFormat(_ format: FixtureArchiveFormat) throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: format, to: folder.path + "/a." + format.rawValue)
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(summary.succeeded, "\(summary)")
        #expect(summary.entries == Self.entries.count && summary.done == Self.entries.count && summary.failed == 0)
        #expect(summary.archiveBytes == Int64(try FileManager.default.attributesOfItem(atPath: archive)[.size] as! Int))
        #expect(summary.bytesWritten == Int64(70_000 + Self.big.count + 10 + 6))
        #expect(folder.unpacked(under: "out") == ["data/cats/a.jpg", "data/cats/empty.txt", "data/dogs/b.jpg",
                                               "data/private.txt", "data/run.sh"])
        for entry in Self.entries {
            guard case .file(let bytes) = entry.kind else { continue }
            let (path, mode, modified) = (entry.path, entry.mode, entry.modified)
            let written = folder.path + "/out/" + path
            #expect(try FileIO.read(written) == bytes, "\(format) \(path)")
            // Zip too: it is read through its central directory, where the permissions live.
            #expect(fileMode(written) & 0o700 == mode & 0o700, "\(format) \(path)")
            let attributes = try FileManager.default.attributesOfItem(atPath: written)
            #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == Double(modified), "\(format) \(path)")
        }
        let expected = ["tar": "tar", "tar.gz": "gzip", "tar.bz2": "bzip2", "tar.xz": "xz", "zip": "ZIP"][format.rawValue]!
        #expect(summary.format.contains(expected), "\(summary.format)")
    }

    @Test func zipSymlinksAreSymlinksAndCheckedLikeTars() throws {
        // A zip on disk is read through its central directory, which holds the entry types: a
        // symlink is a symlink (not a small file holding its target), refused when it points out.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write([.symlink("link", to: "/etc/passwd"), .file("a/ok.txt", "fine"),
                                             .symlink("a/inside", to: "ok.txt"), .symlink("up", to: "../x")],
                                            format: .zip, to: folder.path + "/a.zip")
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(fileMode(folder.path + "/out/link") == 0 && fileMode(folder.path + "/out/up") == 0)
        let refused = Dictionary(uniqueKeysWithValues: summary.refused.map { ($0.path, $0.reason) })
        #expect(refused["link"]?.hasPrefix(EntryPolicy.Reason.symlinkOutside) == true, "\(summary.refused)")
        #expect(refused["up"]?.hasPrefix(EntryPolicy.Reason.symlinkOutside) == true, "\(summary.refused)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.path + "/out/a/inside") == "ok.txt")
        #expect(summary.done == 2 && summary.failed == 2)
    }

    @Test func zipDigestCoversTheWholeFileThoughItIsReadOutOfOrder() throws {
        // The central directory is read first, so the digest is a second, sequential pass.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: .zip, to: folder.path + "/a.zip")
        let digest = StreamingDigest(.sha256)
        try FileIO.read(archive).withUnsafeBytes { digest.update($0) }
        let expected = digest.finalize()
        let summary = unpack(archive, to: folder.path + "/out") { $0.expectedDigest = ArchiveDigest(algorithm: .sha256, hex: expected) }
        #expect(summary.succeeded && summary.verification?.matches == true, "\(summary)")
        #expect(summary.archiveBytes == Int64(try FileIO.read(archive).count))
    }

    @Test func cutZipIsReadAsAStreamAndSaysSo() throws {
        // No central directory (the download stopped): the local headers still give the entries.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write([.file("a.bin", bytes: noise(50_000, seed: 1)),
                                             .file("b.bin", bytes: noise(50_000, seed: 2))],
                                            format: .zip, to: folder.path + "/a.zip")
        let bytes = try FileIO.read(archive)
        let cut = folder.write("cut.zip", Array(bytes.prefix(75_000)))
        let summary = unpack(cut, to: folder.path + "/out")
        #expect(!summary.succeeded && summary.done == 1, "\(summary)")
        #expect(summary.warnings.contains { $0.reason.contains("no zip central directory") }, "\(summary.warnings)")
        #expect(try FileIO.read(folder.path + "/out/a.bin") == noise(50_000, seed: 1))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/b.bin"))
    }

    @Test func notAnArchiveIsAClearError() throws {
        let folder = TemporaryFolder()
        let cases: [(String, [UInt8], String)] = [
            ("text.tar.gz", Array("hello, this is not an archive at all\n".utf8), "is not a tar or zip archive"),
            ("empty.tar", [], "empty file (0 bytes)"),
            ("fake.gz", [0x1F, 0x8B, 0x08, 0x00] + noise(4000, seed: 3), "gzip data damaged at byte"),
        ]
        for (name, bytes, message) in cases {
            let path = folder.write(name, bytes)
            let summary = unpack(path, to: folder.path + "/out-" + name)
            #expect(!summary.succeeded, "\(name)")
            #expect(summary.stoppedBy?.contains(message) == true, "\(name): \(summary.stoppedBy ?? "nil")")
            #expect(summary.stoppedBy?.contains(path) == true, "\(name) names the archive")
            #expect(folder.unpacked(under: "out-" + name).isEmpty)
        }
        let missing = unpack(folder.path + "/nope.tar", to: folder.path + "/out")
        #expect(missing.stoppedBy?.contains("cannot read") == true && missing.stoppedBy?.contains("No such file") == true)
    }

    @Test func damagedDataNamesTheEntry() throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write([.file("one.bin", bytes: noise(200_000, seed: 1)),
                                             .file("two.bin", bytes: noise(200_000, seed: 2))],
                                            format: .tarGz, to: folder.path + "/a.tar.gz")
        var bytes = try FileIO.read(archive)
        for i in stride(from: bytes.count / 4, to: bytes.count * 3 / 4, by: 97) { bytes[i] ^= 0x5A }
        try FileIO.writeAtomically(bytes, to: archive)
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(!summary.succeeded)
        #expect(summary.stoppedBy?.contains("damaged or truncated") == true, "\(summary.stoppedBy ?? "nil")")
        #expect(summary.stoppedBy?.contains("one.bin") == true || summary.stoppedBy?.contains("two.bin") == true)
        // Nothing half-written under a final name, no temporary left.
        for name in folder.unpacked(under: "out") {
            #expect(!name.hasSuffix(FileIO.temporarySuffix))
            let expected = name == "one.bin" ? noise(200_000, seed: 1) : noise(200_000, seed: 2)
            #expect(try FileIO.read(folder.path + "/out/" + name) == expected)
        }
    }
}
