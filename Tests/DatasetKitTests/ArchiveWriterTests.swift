import Foundation
import Testing
@testable import DatasetKit

@Suite struct ArchiveWriterTests {
    static let formats: [ArchiveFormat] = [.tar, .tarGzip(), .tarGzip(level: 1), .zip(.store), .zip(.deflate)]

    /// A few megabytes that do not compress, to cross libarchive's internal buffers.
    static let big: [UInt8] = {
        var rng = SeededGenerator(seed: 9)
        return (0..<(3 << 20) / 8).flatMap { _ in withUnsafeBytes(of: rng.next()) { Array($0) } }
    }()

    static let longName = "deep/" + String(repeating: "long-folder-name/", count: 8) + "file-with-a-long-name.txt"

    func writeSample(_ format: ArchiveFormat, to path: String) throws {
        let writer = try ArchiveWriter(path: path, format: format)
        try writer.addDirectory(path: "top")
        try writer.addDirectory(path: "top/sub/", mode: 0o700)
        try writer.addFile(path: "top/empty.txt", data: [])
        try writer.addFile(path: "top/sub/hello.txt", data: Array("hello\r\nworld\n".utf8), mode: 0o600, mtime: 1_000_000_000)
        try writer.addFile(path: "top/big.bin", data: Self.big)
        try writer.addFile(path: Self.longName, data: [1, 2, 3])
        try writer.addFile(path: "top/café/ü.txt", data: Array("é".utf8))
        #expect(writer.entryCount == 7)
        #expect(writer.dataBytes == 13 + Self.big.count + 3 + 2)
        try writer.finish()
    }

    @Test(arguments: formats)
    func roundTripsEveryEntry(_ format: ArchiveFormat) throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/a." + format.fileExtension
        try writeSample(format, to: path)
        let members = try ArchiveContents.read(path)
        #expect(members.map(\.path) == ["top/", "top/sub/", "top/empty.txt", "top/sub/hello.txt", "top/big.bin",
                                        Self.longName, "top/café/ü.txt"])
        let byPath = Dictionary(uniqueKeysWithValues: members.map { ($0.path, $0) })
        #expect(byPath["top/"]!.isDirectory && byPath["top/"]!.mode == 0o755)
        #expect(byPath["top/sub/"]!.isDirectory && byPath["top/sub/"]!.mode == 0o700)
        #expect(byPath["top/empty.txt"]!.data.isEmpty && !byPath["top/empty.txt"]!.isDirectory)
        #expect(byPath["top/sub/hello.txt"]!.text == "hello\r\nworld\n")
        #expect(byPath["top/sub/hello.txt"]!.mode == 0o600)
        #expect(byPath["top/big.bin"]!.data == Self.big)
        #expect(byPath[Self.longName]!.data == [1, 2, 3])
        #expect(byPath["top/café/ü.txt"]!.text == "é")
        #expect(members.allSatisfy { $0.uid == 0 && $0.gid == 0 })
        if case .zip = format {} else {
            // Zip times are local DOS times (checked below); tar keeps them exactly.
            #expect(byPath["top/sub/hello.txt"]!.mtime == 1_000_000_000)
            #expect(byPath["top/big.bin"]!.mtime == ArchiveWriter.defaultModificationTime)
        }
    }

    @Test(arguments: formats)
    func sameEntriesGiveTheSameBytes(_ format: ArchiveFormat) throws {
        let folder = TemporaryFolder()
        try writeSample(format, to: folder.path + "/one")
        Thread.sleep(forTimeInterval: 1.1)  // a clock-derived header field would now differ
        try writeSample(format, to: folder.path + "/two")
        #expect(try FileIO.read(folder.path + "/one") == FileIO.read(folder.path + "/two"))
    }

    @Test func gzipHeaderHasNoTimestampAndTarIsNotPadded() throws {
        let folder = TemporaryFolder()
        try writeSample(.tarGzip(), to: folder.path + "/a.tar.gz")
        let gz = try FileIO.read(folder.path + "/a.tar.gz")
        #expect(Array(gz.prefix(3)) == [0x1F, 0x8B, 8])
        #expect(Array(gz[4..<8]) == [0, 0, 0, 0])
        try writeSample(.tar, to: folder.path + "/a.tar")
        let tar = try FileIO.read(folder.path + "/a.tar")
        #expect(tar.count % 512 == 0)
        #expect(tar.count < Self.big.count + 20 * 512)  // no 10 KiB record padding beyond the trailer
        #expect(Array(tar[257..<262]) == Array("ustar".utf8))
    }

    @Test func entriesWithoutTimeAreTimeZoneFree() throws {
        let folder = TemporaryFolder()
        let writer = try ArchiveWriter(path: folder.path + "/a.zip", format: .zip())
        try writer.addFile(path: "x.txt", data: [1], mtime: nil)
        try writer.finish()
        let bytes = try FileIO.read(folder.path + "/a.zip")
        // Local header: DOS time at 10, date at 12: 1980-01-01 00:00 whatever the zone.
        #expect(Array(bytes[10..<14]) == [0, 0, 0x21, 0])
    }

    @Test func nothingAppearsUnderTheFinalNameBeforeFinish() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/a.tar.gz"
        let writer = try ArchiveWriter(path: path, format: .tarGzip())
        try writer.addFile(path: "x", data: Self.big)
        #expect(!FileIO.exists(path))
        let temporaries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(temporaries.count == 1 && temporaries[0].hasPrefix(".a.tar.gz.") && temporaries[0].hasSuffix(FileIO.temporarySuffix))
        try writer.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.tar.gz"])
        #expect(throws: ArchiveWriteError.closed(archive: path)) { try writer.addFile(path: "y", data: []) }
        #expect(throws: ArchiveWriteError.closed(archive: path)) { try writer.finish() }
    }

    @Test func cancelledOrDroppedWritersLeaveNothing() throws {
        let folder = TemporaryFolder()
        let cancelled = try ArchiveWriter(path: folder.path + "/a.zip", format: .zip())
        try cancelled.addFile(path: "x", data: [1, 2, 3])
        cancelled.cancel()
        #expect(throws: ArchiveWriteError.self) { try cancelled.finish() }
        do {
            let dropped = try ArchiveWriter(path: folder.path + "/b.tar", format: .tar)
            try dropped.addFile(path: "x", data: [1, 2, 3])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func replacesAnExistingArchiveOnlyWhenFinished() throws {
        let folder = TemporaryFolder()
        let path = folder.write("a.tar", Array("old".utf8))
        let writer = try ArchiveWriter(path: path, format: .tar)
        try writer.addFile(path: "new.txt", data: [7])
        #expect(try FileIO.read(path) == Array("old".utf8))
        try writer.finish()
        #expect(try ArchiveContents.read(path).map(\.path) == ["new.txt"])
    }

    @Test(arguments: ["", "/etc/passwd", "a/../../b", "..", "a//b", "./a", "a/./b", "nul\u{0}byte"])
    func refusesUnsafeNames(_ name: String) throws {
        let folder = TemporaryFolder()
        let writer = try ArchiveWriter(path: folder.path + "/a.tar", format: .tar)
        #expect { try writer.addFile(path: name, data: [1]) } throws: { error in
            guard case .invalidEntryName(_, let entry, let reason)? = error as? ArchiveWriteError else { return false }
            return entry == name && !reason.isEmpty
        }
        // A refused name does not spoil the archive.
        try writer.addFile(path: "fine.txt", data: [1])
        try writer.finish()
        #expect(try ArchiveContents.read(folder.path + "/a.tar").map(\.path) == ["fine.txt"])
    }

    @Test func reportsAMissingFolderAndBadSettings() throws {
        let folder = TemporaryFolder()
        #expect { try ArchiveWriter(path: folder.path + "/missing/a.tar", format: .tar) } throws: { error in
            guard case .cannotCreate(let archive, _)? = error as? ArchiveWriteError else { return false }
            return archive.hasSuffix("missing/a.tar") && "\(error)".contains("cannot create archive")
        }
        #expect(throws: ArchiveWriteError.self) { try ArchiveWriter(path: folder.path + "/a.tar.gz", format: .tarGzip(level: 11)) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func formatsFollowFileNames() {
        #expect(ArchiveFormat(fileName: "food-101.tar.gz") == .tarGzip())
        #expect(ArchiveFormat(fileName: "x.TGZ") == .tarGzip())
        #expect(ArchiveFormat(fileName: "train-000000.tar") == .tar)
        #expect(ArchiveFormat(fileName: "Recipes5k.zip") == .zip())
        #expect(ArchiveFormat(fileName: "notes.txt") == nil)
        #expect(ArchiveFormat.tarGzip().fileExtension == "tar.gz")
    }
}
