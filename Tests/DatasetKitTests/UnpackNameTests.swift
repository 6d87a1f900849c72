import Foundation
import Testing
@testable import DatasetKit

/// Entry names as archives really store them: UTF-8 zips (flag bit 11), legacy encodings with
/// no flag, bytes that are not UTF-8 at all. Distinct names stay distinct files.
@Suite struct UnpackNameTests {
    /// The general-purpose flags of each local header in a zip.
    func zipFlags(_ bytes: [UInt8]) -> [UInt16] {
        (0..<(bytes.count - 8)).filter { bytes[$0..<($0 + 4)].elementsEqual([0x50, 0x4B, 0x03, 0x04]) }
            .map { UInt16(bytes[$0 + 6]) | UInt16(bytes[$0 + 7]) << 8 }
    }

    @Test func utf8ZipNamesAreKept() throws {
        // Python, macOS, Info-ZIP and 7-Zip store UTF-8 names with flag bit 11; they used to be
        // refused as "empty path" because libarchive could not convert them in the C locale.
        let folder = TemporaryFolder()
        let names = ["crème_brûlée/1.jpg", "crème_brûlée/2.jpg", "寿司/1.jpg"]
        let archive = UTF8Locale.run {
            ArchiveFixtures.write(names.map { FixtureEntry.file($0, "image \($0)") }, format: .zip, to: folder.path + "/a.zip")
        }
        #expect(zipFlags(try FileIO.read(archive)).allSatisfy { $0 & 0x0800 != 0 }, "the fixture flags its names UTF-8")
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(summary.succeeded && summary.done == 3 && summary.warnings.isEmpty, "\(summary)")
        for name in names { #expect(try FileIO.read(folder.path + "/out/" + name) == Array("image \(name)".utf8)) }
    }

    @Test(arguments: [FixtureArchiveFormat.zip, .tar, .tarGz])
    func namesInALegacyEncodingStayDistinct(_ format: FixtureArchiveFormat) throws {
        // "кот.txt" and "пес.txt" in KOI8-R, no UTF-8 flag: both used to become "???.txt", and the
        // second (same size, same time) was skipped as "already there".
        let folder = TemporaryFolder()
        let cat: [UInt8] = [0xCB, 0xCF, 0xD4] + Array(".txt".utf8)
        let dog: [UInt8] = [0xD0, 0xC5, 0xD3] + Array(".txt".utf8)
        let archive = ArchiveFixtures.write([.file(rawPath: cat, "meow"), .file(rawPath: dog, "woof")],
                                            format: format, to: folder.path + "/a." + format.rawValue)
        if format == .zip { #expect(zipFlags(try FileIO.read(archive)).allSatisfy { $0 & 0x0800 == 0 }) }
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(summary.done == 2 && summary.skipped == 0, "\(format): \(summary)")
        #expect(try FileIO.read(folder.path + "/out/%CB%CF%D4.txt") == Array("meow".utf8), "\(format)")
        #expect(try FileIO.read(folder.path + "/out/%D0%C5%D3.txt") == Array("woof".utf8), "\(format)")
        #expect(summary.warnings.count == 2 && summary.warnings.allSatisfy { $0.reason.contains("not valid UTF-8") },
                "\(format): \(summary.warnings)")
    }

    @Test func namesDifferingOnlyInInvalidBytesStayDistinct() throws {
        let folder = TemporaryFolder()
        let entries: [FixtureEntry] = [.file(rawPath: Array("caf".utf8) + [0xE9] + Array(".txt".utf8), "one"),
                                       .file(rawPath: Array("caf".utf8) + [0xE8] + Array(".txt".utf8), "two"),
                                       .file(rawPath: Array("50%41".utf8) + [0xFF], "pct")]
        let archive = ArchiveFixtures.write(entries, format: .tar, to: folder.path + "/a.tar")
        let summary = unpack(archive, to: folder.path + "/out")
        #expect(summary.done == 3, "\(summary)")
        #expect(folder.unpacked(under: "out") == ["50%2541%FF", "caf%E8.txt", "caf%E9.txt"])
    }

    @Test func escapingIsReversibleAndLeavesUTF8Alone() {
        #expect(EntryName.decode(Array("crème/100%41.jpg".utf8)) == ("crème/100%41.jpg", false))
        #expect(EntryName.decode([0x61, 0xFF, 0x25, 0x34, 0x31, 0x25, 0x7A]) == ("a%FF%2541%z", true))
        // Overlong forms, surrogates and truncated sequences are invalid too.
        #expect(EntryName.decode([0xC0, 0xAF]) == ("%C0%AF", true))
        #expect(EntryName.decode([0xED, 0xA0, 0x80]) == ("%ED%A0%80", true))
        #expect(EntryName.decode([0x61, 0xE2, 0x82]) == ("a%E2%82", true))
        #expect(EntryName.decode([0xF0, 0x9F, 0x98, 0x80]) == ("😀", false))
    }

    @Test func printableNameEscapesControlCharacters() {
        #expect(printableName("plain/crème.jpg") == "plain/crème.jpg")
        #expect(printableName("a\nb\rc\td") == "a\\nb\\rc\\td")
        #expect(printableName("x\u{1B}[2Jy\u{7F}\u{9B}") == "x\\x1B[2Jy\\x7F\\x9B")
        #expect(printableName("\u{0}") == "\\x00")
    }
}
