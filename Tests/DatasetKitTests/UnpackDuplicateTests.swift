import Foundation
import Testing
@testable import DatasetKit

extension TemporaryFolder {
    /// `files(under:)` without unpack's journal, which every unpack leaves in its destination.
    func unpacked(under relative: String = "") -> [String] {
        files(under: relative).filter { ($0 as NSString).lastPathComponent != UnpackJournal.fileName }
    }
}

/// Tar semantics for duplicate paths (the last entry wins), kept across reruns by the journal.
@Suite struct UnpackDuplicateTests {
    /// Two entries of one path, same size and time, different bytes: only content tells them apart.
    static let entries: [FixtureEntry] = [.file("a/dup.txt", "first!"), .file("a/other.txt", "other"),
                                          .file("a/dup.txt", "second")]

    @Test(arguments: [FixtureArchiveFormat.tar, .tarGz, .zip])
    func laterEntryOfAPathWins(_ format: FixtureArchiveFormat) throws {
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: format, to: folder.path + "/a." + format.rawValue)
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(summary.succeeded && summary.done == 3 && summary.skipped == 0, "\(format): \(summary)")
        #expect(try FileIO.read(folder.path + "/out/a/dup.txt") == Array("second".utf8), "\(format)")
        let again = unpack(archive, to: folder.path + "/out")
        #expect(again.succeeded && again.done == 0 && again.skipped == 3, "\(format): \(again)")
        #expect(try FileIO.read(folder.path + "/out/a/dup.txt") == Array("second".utf8), "\(format)")
    }

    @Test func rerunAfterAnInterruptionStillLetsTheLastEntryWin() throws {
        // The first run stopped after the first copy (as if killed): the rerun must not take the
        // file for complete because its size and time match the second copy.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: .tar, to: folder.path + "/a.tar")
        let stopped = unpack(archive, to: folder.path + "/out") { $0.maxBytes = 6 }  // room for one copy only
        #expect(stopped.done == 1 && stopped.stoppedBy?.contains("--max-size") == true, "\(stopped)")
        #expect(try FileIO.read(folder.path + "/out/a/dup.txt") == Array("first!".utf8))
        let rerun = unpack(archive, to: folder.path + "/out")
        #expect(rerun.succeeded, "\(rerun)")
        #expect(try FileIO.read(folder.path + "/out/a/dup.txt") == Array("second".utf8))
        #expect(try FileIO.read(folder.path + "/out/a/other.txt") == Array("other".utf8))
    }

    @Test func journalIsHostileInputAndOnlyCountsForItsArchive() throws {
        var journal = UnpackJournal(archive: "123 sha256-64k:ab")
        journal.records["x/ta\tb%\n.jpg"] = .init(index: 3, size: 10, modified: 1_600_000_000)
        journal.records["plain.jpg"] = .init(index: 0, size: 0, modified: -5)
        let text = journal.serialized()
        #expect(UnpackJournal.parse(Array(text.utf8)) == journal)
        // A cut last line, garbage lines, negative or huge numbers, bad escapes: skipped.
        let hostile = text + "1\t2\t3\tgood.jpg\n" + "x\t1\t1\tbad-index\n-1\t1\t1\tnegative\n"
            + "1\t99999999999999999999999\t1\thuge\n1\t1\t1\tbad%zzescape\n1\t1\t1\t\n1\t2\t3\tcut"
        let parsed = try #require(UnpackJournal.parse(Array(hostile.utf8)))
        #expect(parsed.records.count == 3 && parsed.records["good.jpg"] == .init(index: 1, size: 2, modified: 3))
        #expect(UnpackJournal.parse(Array("not a journal\n".utf8)) == nil)
        #expect(UnpackJournal.parse([UInt8]()) == nil)

        // A journal of another archive does not vouch for anything: sizes and times decide.
        let folder = TemporaryFolder()
        let archive = ArchiveFixtures.write(Self.entries, format: .tar, to: folder.path + "/a.tar")
        #expect(unpack(archive, to: folder.path + "/out").done == 3)
        let stranger = UnpackJournal(archive: "1 sha256-64k:00").header + "9\t6\t1600000000\ta/dup.txt\n"
        folder.write("out/" + UnpackJournal.fileName, Array(stranger.utf8))
        folder.write("out/a/dup.txt", Array("tamper".utf8))  // same size, new time
        let rerun = unpack(archive, to: folder.path + "/out")
        #expect(try FileIO.read(folder.path + "/out/a/dup.txt") == Array("second".utf8), "\(rerun)")
        // An entry named like the journal is not written over it.
        let sneaky = ArchiveFixtures.write([.file(UnpackJournal.fileName, "garbage")], format: .tar, to: folder.path + "/b.tar")
        let refused = unpack(sneaky, to: folder.path + "/out")
        let kept = try FileIO.read(folder.path + "/out/" + UnpackJournal.fileName)
        #expect(refused.failed == 1 && UnpackJournal.parse(kept) != nil)
    }
}
