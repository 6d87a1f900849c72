import Foundation
import Testing
@testable import DatasetKit

/// Damaged archives and decompression bombs: every damaged entry and the stream error are
/// reported (entry, byte offset), the run fails, entries before the damage stay written, and the
/// decompressor is bounded whatever libarchive version is installed.
@Suite struct UnpackDamageTests {
    static let names = (0..<20).map { String(format: "f%02d.bin", $0) }
    static func content(_ i: Int) -> [UInt8] { noise(3000, seed: UInt64(100 + i)) }
    static let entries = (0..<20).map { FixtureEntry.file(names[$0], bytes: content($0)) }

    /// Offsets of `needle` in `bytes`.
    func find(_ needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= needle.count else { return [] }
        return (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// The files written hold exactly their archive bytes.
    func expectIntact(_ folder: TemporaryFolder, _ relative: String) throws {
        for name in folder.unpacked(under: relative) {
            let i = Self.names.firstIndex(of: name)!
            #expect(try FileIO.read(folder.path + "/" + relative + "/" + name) == Self.content(i), "\(name)")
        }
    }

    /// Found by fuzzing: 17 bytes of lzma-alone header naming a 2 GiB dictionary made liblzma
    /// allocate it (libarchive reads lzma-alone with no memory limit). Refused before decoding.
    @Test func lzmaHeaderAskingForAHugeDictionaryIsRefused() throws {
        let folder = TemporaryFolder()
        let path = folder.write("bomb.lzma", [0x5D, 0x00, 0x00, 0x00, 0x80] + [UInt8](repeating: 0, count: 8) + [0x06, 0x18, 0x00, 0x00])
        let error = #expect(throws: ArchiveError.self) { _ = try ArchiveReader(path: path) }
        #expect(error?.kind == .limit, "\(String(describing: error))")
        #expect(error?.description.contains("2048 MiB dictionary") == true, "\(String(describing: error))")
    }

    @Test func gzipChecksumMismatchFailsTheRun() throws {
        // Incompressible files sit in stored deflate blocks: two flipped bytes change only file
        // data, which nothing but the gzip trailer's CRC-32 catches (libarchive 3.6 skips it).
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: .tarGz, to: folder.path + "/a.tar.gz")
        var bytes = try FileIO.read(archive)
        bytes[bytes.count / 2] ^= 0xFF
        bytes[bytes.count / 2 + 1] ^= 0xFF
        let damaged = folder.write("damaged.tar.gz", bytes)
        let summary = unpack(damaged, to: folder.path + "/out")
        #expect(!summary.succeeded, "\(summary)")
        #expect(summary.stoppedBy?.contains("CRC-32 mismatch") == true, "\(summary.stoppedBy ?? "nil")")
        #expect(summary.stoppedBy?.contains("damaged.tar.gz") == true)
        #expect(summary.stoppedBy?.contains("at byte") == true)
    }

    @Test func rerunOnAGoodCopyRewritesWhatADamagedOneWrote() throws {
        // The damaged download has the same size and the same first 64 KiB as the good one, so
        // the same journal; the files the damaged run wrote must not pass for complete.
        let folder = TemporaryFolder()
        let big = (0..<20).map { FixtureEntry.file(Self.names[$0], bytes: noise(8000, seed: UInt64(200 + $0))) }
        let archive = ArchiveFixtures.write(big, format: .tarGz, to: folder.path + "/a.tar.gz")
        let good = try FileIO.read(archive)
        var bytes = good
        bytes[bytes.count * 3 / 4] ^= 0xFF
        let damaged = folder.write("download.tar.gz", bytes)
        let first = unpack(damaged, to: folder.path + "/out")
        #expect(!first.succeeded && first.stoppedBy?.contains("CRC-32") == true, "\(first)")
        folder.write("download.tar.gz", good)
        let rerun = unpack(damaged, to: folder.path + "/out")
        #expect(rerun.succeeded, "\(rerun)")
        for i in 0..<20 {
            #expect(try FileIO.read(folder.path + "/out/" + Self.names[i]) == noise(8000, seed: UInt64(200 + i)), "\(i)")
        }
    }

    @Test func gzipCorruptionInCompressedDataIsReportedWithItsOffset() throws {
        // Compressible text: the flip breaks the Huffman codes, so inflate fails or the tar
        // headers after it turn to garbage; either way the run must fail and say where.
        let folder = TemporaryFolder()
        let text = (0..<20).map { i in FixtureEntry.file(Self.names[i], String(repeating: "line of file \(i) ", count: 400)) }
        let archive = ArchiveFixtures.write(text, format: .tarGz, to: folder.path + "/a.tar.gz")
        var bytes = try FileIO.read(archive)
        bytes[bytes.count / 2] ^= 0xFF
        bytes[bytes.count / 2 + 1] ^= 0xFF
        let damaged = folder.write("damaged.tar.gz", bytes)
        let summary = unpack(damaged, to: folder.path + "/out")
        #expect(!summary.succeeded, "\(summary)")
        let messages = (summary.failures.map(\.reason) + [summary.stoppedBy ?? ""]).joined(separator: "\n")
        #expect(messages.contains("at byte"), "\(messages)")
        #expect(summary.done < 20)
        #expect(try FileIO.read(folder.path + "/out/f00.bin") == Array(String(repeating: "line of file 0 ", count: 400).utf8))
        #expect(folder.unpacked(under: "out").allSatisfy { !$0.hasSuffix(FileIO.temporarySuffix) })
    }

    @Test func damagedTarHeaderIsReportedAndTheRestUnpacked() throws {
        // Before: libarchive's ARCHIVE_RETRY was looped over silently, the entry lost, exit 0.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: .tar, to: folder.path + "/a.tar")
        var bytes = try FileIO.read(archive)
        let header = try #require(find(Array("f10.bin".utf8), in: bytes).first)
        bytes[header + 1] ^= 0x20  // the name changes, the header checksum no longer matches
        let damaged = folder.write("damaged.tar", bytes)
        let summary = unpack(damaged, to: folder.path + "/out")
        #expect(!summary.succeeded)
        #expect(summary.done == 19 && summary.failed == 1, "\(summary)")
        let reason = try #require(summary.failures.first?.reason)
        #expect(reason.contains("damaged entry header after entry 'f09.bin' at byte \(header)"), "\(reason)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/f10.bin"))
        #expect(folder.unpacked(under: "out").count == 19)
        try expectIntact(folder, "out")
    }

    @Test func filesAfterASkippedTarHeaderAreNotVouchedForOnARerun() throws {
        // Past a damaged header the tar reader resynchronises by scanning: the journal keeps
        // nothing from that run, so a rerun on a good copy (same size, same first 64 KiB)
        // writes everything again instead of trusting what the damaged one left.
        let folder = TemporaryFolder()
        let big = (0..<20).map { FixtureEntry.file(Self.names[$0], bytes: noise(8000, seed: UInt64(300 + $0))) }
        let archive = ArchiveFixtures.write(big, format: .tar, to: folder.path + "/a.tar")
        let good = try FileIO.read(archive)
        var bytes = good
        let header = try #require(find(Array("f10.bin".utf8), in: bytes).first)
        #expect(header > 65536)
        bytes[header + 1] ^= 0x20
        let download = folder.write("download.tar", bytes)
        let first = unpack(download, to: folder.path + "/out")
        #expect(first.done == 19 && !first.succeeded, "\(first)")
        folder.write("download.tar", good)
        let rerun = unpack(download, to: folder.path + "/out")
        #expect(rerun.succeeded && rerun.done == 20 && rerun.skipped == 0, "\(rerun)")
    }

    @Test func zipEntryWithBadCRCIsReportedAndNotKept() throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Array(Self.entries.prefix(5)), format: .zip, to: folder.path + "/a.zip")
        var bytes = try FileIO.read(archive)
        let data = try #require(find(Array(Self.content(2).prefix(16)), in: bytes).first,
                                "the fixture zip stores incompressible data as is")
        bytes[data + 100] ^= 0x01
        let damaged = folder.write("damaged.zip", bytes)
        let summary = unpack(damaged, to: folder.path + "/out")
        #expect(!summary.succeeded)
        #expect(summary.done == 4 && summary.failed == 1, "\(summary)")
        #expect(summary.failures.first?.path == "f02.bin")
        #expect(summary.failures.first?.reason.contains("CRC") == true, "\(summary.failures)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/f02.bin"))
        try expectIntact(folder, "out")
    }

    @Test func zipEntryHoldingMoreThanItsHeaderDeclaresIsReportedAndNotKept() throws {
        // Both headers say 100 bytes; the deflated data holds 6000. bsdtar and Python both fail
        // it; it used to be written with exit 0. With only the central directory changed, the
        // headers disagree: which data is meant is ambiguous, so that is refused too.
        let folder = TemporaryFolder()
        let text = (0..<3).map { FixtureEntry.file("t\($0).txt", String(repeating: "hello ", count: 1000)) }
        let archive = ArchiveFixtures.write(text, format: .zip, to: folder.path + "/a.zip")
        let bytes = try FileIO.read(archive)
        let local = find([0x50, 0x4B, 0x03, 0x04], in: bytes), central = find([0x50, 0x4B, 0x01, 0x02], in: bytes)
        #expect(local.count == 3 && central.count == 3)
        for (patchLocal, message) in [(true, "wrong size"), (false, "Inconsistent uncompressed size")] {
            var damaged = bytes
            damaged.replaceSubrange((central[1] + 24)..<(central[1] + 28), with: [100, 0, 0, 0])  // uncompressed size
            if patchLocal { damaged.replaceSubrange((local[1] + 22)..<(local[1] + 26), with: [100, 0, 0, 0]) }
            let path = folder.write("damaged-\(patchLocal).zip", damaged)
            let summary = unpack(path, to: folder.path + "/out-\(patchLocal)")
            #expect(!summary.succeeded)
            #expect(summary.done == 2 && summary.failures.map(\.path) == ["t1.txt"], "\(summary)")
            #expect(summary.failures.first?.reason.contains(message) == true, "\(summary.failures)")
            #expect(folder.unpacked(under: "out-\(patchLocal)") == ["t0.txt", "t2.txt"])
        }
    }

    @Test func zipWithAWrongNameLengthIsReported() throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Array(Self.entries.prefix(5)), format: .zip, to: folder.path + "/a.zip")
        var bytes = try FileIO.read(archive)
        let local = find([0x50, 0x4B, 0x03, 0x04], in: bytes)
        #expect(local.count == 5)
        bytes[local[2] + 26] &+= 3  // the local header's name length
        let damaged = folder.write("damaged.zip", bytes)
        let summary = unpack(damaged, to: folder.path + "/out")
        #expect(!summary.succeeded, "\(summary)")
        #expect(summary.failed >= 1 || summary.stoppedBy != nil, "\(summary)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/out/f02.bin"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/out/f01.bin"))
        try expectIntact(folder, "out")
    }

    @Test func nestedCompressionIsRefused() throws {
        // libarchive 3.6 unwraps gzip inside gzip without bound (a gzip can even unpack to
        // itself); one layer of compression is what archives use.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Array(Self.entries.prefix(3)), format: .tarGz, to: folder.path + "/a.tar.gz")
        var bytes = try FileIO.read(archive)
        for _ in 0..<30 { bytes = ArchiveFixtures.gzip(bytes) }
        let nested = folder.write("nested.tar.gz", bytes)
        let summary = unpack(nested, to: folder.path + "/out")
        #expect(!summary.succeeded)
        #expect(summary.stoppedBy?.contains("gzip inside gzip: nested compression is refused") == true,
                "\(summary.stoppedBy ?? "nil")")
        #expect(folder.unpacked(under: "out").isEmpty)
    }

    @Test func decompressedBytesAreBoundedEvenWhenNothingIsWritten() throws {
        // 40 MB of zeros in an entry that is refused: --max-size never sees it, the
        // decompressor does.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write([.file("ok.txt", "fine"), .file("../bomb.bin", bytes: [UInt8](repeating: 0, count: 40 << 20)),
                                             .file("after.txt", "after")],
                                            format: .tarGz, to: folder.path + "/bomb.tar.gz")
        let summary = unpack(archive, to: folder.path + "/out") { $0.maxDecompressedBytes = 8 << 20 }
        #expect(!summary.succeeded)
        #expect(summary.stoppedBy?.contains("--max-decompressed") == true, "\(summary.stoppedBy ?? "nil")")
        #expect(summary.archiveBytes < 1 << 20)
        #expect(try FileIO.read(folder.path + "/out/ok.txt") == Array("fine".utf8))
        let roomy = unpack(archive, to: folder.path + "/roomy") { $0.maxDecompressedBytes = 64 << 20 }
        #expect(roomy.stoppedBy == nil && roomy.done == 2 && roomy.refused.count == 1, "\(roomy)")
    }

    @Test(arguments: [FixtureArchiveFormat.tarBz2, .tarXz])
    func otherCompressionsCheckTheirIntegrity(_ format: FixtureArchiveFormat) throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: format, to: folder.path + "/a." + format.rawValue)
        var bytes = try FileIO.read(archive)
        bytes[bytes.count / 2] ^= 0xFF
        let damaged = folder.write("damaged." + format.rawValue, bytes)
        let summary = unpack(damaged, to: folder.path + "/out")
        #expect(!summary.succeeded, "\(format): \(summary)")
        #expect(summary.stoppedBy?.contains("byte") == true, "\(format): \(summary.stoppedBy ?? "nil")")
    }
}
