import Foundation
import Testing
@testable import DatasetKit

/// Interrupted unpacks, reruns, `--overwrite` and `--verify`.
@Suite struct UnpackResumeTests {
    static let files: [(String, [UInt8])] = (0..<12).map { i in
        ("set/c\(i % 3)/\(i).bin", noise(i % 4 == 0 ? 400_000 : 30_000, seed: UInt64(i)))
    }
    static let entries = files.map { FixtureEntry.file($0.0, bytes: $0.1) }

    /// The regular files under `folder/relative` whose names are hidden temporaries.
    func temporaries(_ folder: TemporaryFolder, _ relative: String) -> [String] {
        folder.unpacked(under: relative).filter { $0.hasSuffix(FileIO.temporarySuffix) }
    }

    /// Every file present under a final name holds exactly its archive bytes.
    func expectNoPartialFiles(_ folder: TemporaryFolder, _ relative: String) throws {
        let expected = Dictionary(uniqueKeysWithValues: Self.files)
        for name in folder.unpacked(under: relative) where !name.hasSuffix(FileIO.temporarySuffix) {
            #expect(try FileIO.read(folder.path + "/" + relative + "/" + name) == expected[name], "\(name)")
        }
    }

    @Test(arguments: [FixtureArchiveFormat.tarGz, .tar, .zip])
    func interruptedUnpackIsFinishedByARerun(_ format: FixtureArchiveFormat) throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: format, to: folder.path + "/full." + format.rawValue)
        let bytes = try FileIO.read(archive)
        let truncated = folder.write("cut." + format.rawValue, Array(bytes.prefix(bytes.count * 6 / 10)))

        // First run: the archive ends early, as if the download or the unpack was cut short.
        let first = unpack(truncated, to: folder.path + "/out")
        #expect(!first.succeeded)
        #expect(first.stoppedBy?.contains("damaged or truncated") == true, "\(format): \(first.stoppedBy ?? "nil")")
        #expect(first.done > 0 && first.done < Self.files.count, "\(format): \(first.done)")
        try expectNoPartialFiles(folder, "out")
        #expect(temporaries(folder, "out").isEmpty)

        // Leftovers of a killed run: half-written temporaries, for a file not yet finished and
        // for one that is (killed between a rerun's write and rename).
        let exists = { (path: String) in FileManager.default.fileExists(atPath: folder.path + "/out/" + path) }
        for leftover in [Self.files.map(\.0).first { !exists($0) }!, Self.files.map(\.0).first(where: exists)!] {
            let (dir, name) = ((leftover as NSString).deletingLastPathComponent, (leftover as NSString).lastPathComponent)
            folder.write("out/" + dir + "/." + name + FileIO.temporarySuffix, [1, 2, 3])
        }
        #expect(temporaries(folder, "out").count == 2)

        // The rerun on the whole archive finishes the job, skipping what was done.
        let second = unpack(archive, to: folder.path + "/out")
        #expect(second.succeeded, "\(format): \(second)")
        #expect(second.skipped == first.done && second.done == Self.files.count - first.done, "\(format): \(second)")
        #expect(folder.unpacked(under: "out").count == Self.files.count)
        try expectNoPartialFiles(folder, "out")
        #expect(temporaries(folder, "out").isEmpty)
    }

    @Test func rerunSkipsCompleteFilesAndOverwriteRewrites() throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write([.directory("set")] + Self.entries, format: .tarGz, to: folder.path + "/a.tar.gz")
        let total = Self.entries.count + 1
        #expect(unpack(archive, to: folder.path + "/out").done == total)
        let again = unpack(archive, to: folder.path + "/out")
        #expect(again.done == 0 && again.skipped == total && again.bytesWritten == 0 && again.succeeded)

        // A file changed since (different size) or half-replaced by hand is written again.
        folder.write("out/set/c1/1.bin", [9, 9, 9])
        let repaired = unpack(archive, to: folder.path + "/out")
        #expect(repaired.done == 1 && repaired.skipped == total - 1)
        #expect(try FileIO.read(folder.path + "/out/set/c1/1.bin") == Self.files[1].1)

        let forced = unpack(archive, to: folder.path + "/out") { $0.overwrite = true }
        #expect(forced.done == Self.entries.count && forced.skipped == 1)  // the folder was there
        try expectNoPartialFiles(folder, "out")
    }

    @Test func streamingDigestMatchesKnownVectors() {
        func hex(_ algorithm: ArchiveDigest.Algorithm, _ text: String) -> String {
            let digest = StreamingDigest(algorithm)
            let bytes = Array(text.utf8)
            // Fed in two pieces, as blocks arrive.
            bytes.withUnsafeBytes { raw in
                digest.update(UnsafeRawBufferPointer(rebasing: raw[..<1]))
                digest.update(UnsafeRawBufferPointer(rebasing: raw[1...]))
            }
            return digest.finalize()
        }
        #expect(hex(.md5, "abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(hex(.sha256, "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func verifyChecksTheWholeArchiveInTheSamePass() throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: .tarGz, to: folder.path + "/a.tar.gz")
        let bytes = try FileIO.read(archive)
        // Expected digests from the file's bytes, hashed whole here.
        let md5 = StreamingDigest(.md5), sha = StreamingDigest(.sha256)
        bytes.withUnsafeBytes { md5.update($0); sha.update($0) }
        let (md5Hex, shaHex) = (md5.finalize(), sha.finalize())

        let good = unpack(archive, to: folder.path + "/good") { $0.expectedDigest = ArchiveDigest(algorithm: .md5, hex: md5Hex) }
        #expect(good.succeeded && good.verification?.matches == true && good.verification?.actual == md5Hex)
        let sha256 = unpack(archive, to: folder.path + "/sha") { $0.expectedDigest = ArchiveDigest(algorithm: .sha256, hex: shaHex) }
        #expect(sha256.succeeded && sha256.verification?.matches == true)

        let wrong = String(repeating: "0", count: 32)
        let bad = unpack(archive, to: folder.path + "/bad") { $0.expectedDigest = ArchiveDigest(algorithm: .md5, hex: wrong) }
        #expect(!bad.succeeded && bad.verification?.matches == false)
        #expect(bad.verification?.expected == wrong && bad.verification?.actual == md5Hex)
        #expect(bad.done == Self.entries.count)  // kept, but the user is told not to trust them

        // Trailing bytes after the end of the archive are part of the file, so part of the digest.
        let padded = folder.write("padded.tar.gz", bytes + [0, 0, 0])
        let trailing = unpack(padded, to: folder.path + "/padded") { $0.expectedDigest = ArchiveDigest(algorithm: .md5, hex: md5Hex) }
        #expect(trailing.verification?.matches == false && trailing.archiveBytes == Int64(bytes.count + 3))

        let truncated = folder.write("cut.tar.gz", Array(bytes.prefix(bytes.count / 2)))
        let cut = unpack(truncated, to: folder.path + "/cut") { $0.expectedDigest = ArchiveDigest(algorithm: .md5, hex: md5Hex) }
        #expect(!cut.succeeded && cut.verification != nil && cut.verification?.actual == nil)
    }
}
