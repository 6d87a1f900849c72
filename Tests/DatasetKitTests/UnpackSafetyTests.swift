import Foundation
import Testing
@testable import DatasetKit

/// Every unsafe entry kind, in archives the tests write: refused (reported, skipped), and nothing
/// ever lands outside the destination.
@Suite struct UnpackSafetyTests {
    /// Unpacks `entries` as `format` into `folder/work/out`; `folder/work` is the outside the
    /// archive attacks.
    func run(_ entries: [FixtureEntry], _ format: FixtureArchiveFormat = .tar, in folder: TemporaryFolder,
             _ configure: (inout Unpacker) -> Void = { _ in }) -> UnpackSummary {
        try! FileManager.default.createDirectory(atPath: folder.path + "/work/out", withIntermediateDirectories: true)
        let archive = ArchiveFixtures.write(entries, format: format, to: folder.path + "/a." + format.rawValue)
        return unpack(archive, to: folder.path + "/work/out", configure)
    }

    func reasons(_ summary: UnpackSummary) -> [String: String] {
        Dictionary(summary.refused.map { ($0.path, $0.reason) }, uniquingKeysWith: { a, _ in a })
    }

    @Test(arguments: FixtureArchiveFormat.allCases)
    func absolutePathsAndParentComponentsAreRefused(_ format: FixtureArchiveFormat) {
        let folder = TemporaryFolder()
        let absolute = folder.path + "/work/absolute-evil.txt"
        let summary = run([.file(absolute, "x"), .file("../evil.txt", "x"), .file("a/../../evil2.txt", "x"),
                           .file("a/ok.txt", "fine")], format, in: folder)
        let why = reasons(summary)
        #expect(summary.done == 1 && summary.failed == 3 && !summary.succeeded, "\(format): \(summary.refused)")
        #expect(why["../evil.txt"] == EntryPolicy.Reason.parentComponent, "\(format)")
        #expect(why["a/../../evil2.txt"] == EntryPolicy.Reason.parentComponent, "\(format)")
        // libarchive's zip writer keeps the leading slash; tar writers too when asked (tar -P).
        #expect(why[absolute] == EntryPolicy.Reason.absolutePath, "\(format): \(why)")
        #expect(folder.unpacked(under: "work") == ["out/a/ok.txt"], "\(format)")
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/evil.txt"))
    }

    @Test func symlinksPointingOutsideAreRefused() throws {
        let folder = TemporaryFolder()
        let summary = run([.file("a/file.txt", "in"),
                           .symlink("abs", to: "/etc/passwd"),
                           .symlink("rel", to: "../outside"),
                           .symlink("a/deep", to: "../../outside"),
                           .symlink("a/sneaky", to: "x/../../.."),
                           .symlink("ok", to: "a/file.txt"),
                           .symlink("a/up", to: "../a/./file.txt")], in: folder)
        let why = reasons(summary)
        for path in ["abs", "rel", "a/deep", "a/sneaky"] {
            #expect(why[path]?.hasPrefix(EntryPolicy.Reason.symlinkOutside) == true, "\(path): \(why)")
        }
        #expect(summary.done == 3 && summary.refused.count == 4)
        let out = folder.path + "/work/out"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/ok") == "a/file.txt")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/a/up") == "file.txt")
        #expect(try String(contentsOfFile: out + "/ok", encoding: .utf8) == "in")
        for name in ["abs", "rel", "a/deep", "a/sneaky"] { #expect(fileMode(out + "/" + name) == 0) }
    }

    @Test func neverWritesThroughASymlink() throws {
        let folder = TemporaryFolder()
        // Already in the destination: a link out of it, and a link where a file will land.
        let outside = folder.path + "/work/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        folder.write("work/outside/victim.txt", Array("precious".utf8))
        try FileManager.default.createDirectory(atPath: folder.path + "/work/out", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/work/out/escape", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/work/out/victim.txt",
                                                   withDestinationPath: outside + "/victim.txt")
        let summary = run([.directory("real"),
                           .symlink("via", to: "real"),            // safe in itself...
                           .file("via/planted.txt", "through"),     // ...but never written through
                           .file("escape/pwned.txt", "x"),
                           .file("victim.txt", "replaced, not written through"),
                           .symlink("self", to: "."),
                           .symlink("up", to: "self/.."),           // stored as ".": stays inside
                           .file("real/ok.txt", "ok")], in: folder)
        let failures = Dictionary(uniqueKeysWithValues: summary.failures.map { ($0.path, $0.reason) })
        #expect(failures["via/planted.txt"]?.contains("'via' is a symlink (not followed)") == true, "\(failures)")
        #expect(failures["escape/pwned.txt"]?.contains("'escape' is a symlink (not followed)") == true)
        #expect(summary.failed == 2 && summary.done == 6, "\(summary)")
        let out = folder.path + "/work/out"
        #expect(!FileManager.default.fileExists(atPath: out + "/real/planted.txt"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["victim.txt"])
        #expect(try String(contentsOfFile: outside + "/victim.txt", encoding: .utf8) == "precious")
        #expect(fileMode(out + "/victim.txt") & UInt32(S_IFMT) == UInt32(S_IFREG))
        #expect(try String(contentsOfFile: out + "/victim.txt", encoding: .utf8) == "replaced, not written through")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/up") == ".")
    }

    @Test func hardlinksOutsideAreRefusedAndInsideAreLinked() throws {
        let folder = TemporaryFolder()
        let summary = run([.file("a/data.bin", "payload"),
                           .hardlink("abs", to: "/etc/passwd"),
                           .hardlink("rel", to: "../outside.txt"),
                           .hardlink("deep", to: "a/../../outside.txt"),
                           .hardlink("b/copy.bin", to: "a/data.bin"),
                           .symlink("via", to: "a"),
                           .hardlink("through", to: "via/data.bin"),
                           .hardlink("missing", to: "a/nothing")], in: folder)
        let why = reasons(summary)
        for path in ["abs", "rel", "deep"] {
            #expect(why[path]?.hasPrefix(EntryPolicy.Reason.hardlinkOutside) == true, "\(path): \(why)")
        }
        let failures = Dictionary(uniqueKeysWithValues: summary.failures.map { ($0.path, $0.reason) })
        #expect(failures["through"]?.contains("symlink (not followed)") == true, "\(failures)")
        #expect(failures["missing"]?.contains("does not exist") == true, "\(failures)")
        let out = folder.path + "/work/out"
        let original = try FileManager.default.attributesOfItem(atPath: out + "/a/data.bin")
        let copy = try FileManager.default.attributesOfItem(atPath: out + "/b/copy.bin")
        #expect(original[.systemFileNumber] as? Int == copy[.systemFileNumber] as? Int)
        #expect(summary.done == 3)
    }

    @Test func devicesAndFIFOsAreRefused() {
        let folder = TemporaryFolder()
        let summary = run([.special("dev/tty", .characterDevice), .special("dev/sda", .blockDevice),
                           .special("pipe", .fifo), .file("ok.txt", "ok")], in: folder)
        #expect(reasons(summary) == ["dev/tty": EntryPolicy.Reason.deviceFile, "dev/sda": EntryPolicy.Reason.deviceFile,
                                     "pipe": EntryPolicy.Reason.fifo])
        #expect(folder.unpacked(under: "work/out") == ["ok.txt"])
    }

    @Test func setuidAndSetgidBitsAreDropped() {
        let folder = TemporaryFolder()
        let summary = run([.file("bin/tool", "#!/bin/sh\n", mode: 0o6755), .directory("shared", mode: 0o1777),
                           .file("bin/plain", "x", mode: 0o644)], in: folder)
        #expect(summary.succeeded && summary.done == 3)
        let tool = fileMode(folder.path + "/work/out/bin/tool")
        #expect(tool & 0o7000 == 0 && tool & 0o100 != 0)
        #expect(fileMode(folder.path + "/work/out/shared") & 0o7000 == 0)
        #expect(Set(summary.warnings.map(\.path)) == ["bin/tool", "shared"])
    }

    @Test func maxSizeStopsBeforePassingTheLimit() throws {
        let folder = TemporaryFolder()
        let entries = (0..<4).map { FixtureEntry.file("f\($0).bin", bytes: noise(100_000, seed: UInt64($0))) }
        let summary = run(entries, .tarGz, in: folder) { $0.maxBytes = 250_000 }
        #expect(!summary.succeeded)
        #expect(summary.stoppedBy?.contains("--max-size") == true && summary.stoppedBy?.contains("f2.bin") == true,
                "\(summary.stoppedBy ?? "nil")")
        #expect(summary.bytesWritten <= 250_000)
        // The two that fit are complete; the third is not under its final name, nor left as a temporary.
        #expect(folder.unpacked(under: "work/out") == ["f0.bin", "f1.bin"])
        #expect(try FileIO.read(folder.path + "/work/out/f1.bin") == noise(100_000, seed: 1))
    }

    @Test func neverReplacesTheArchiveItself() throws {
        let folder = TemporaryFolder()
        // Unpacking into the archive's own folder an archive that holds a file of its name.
        let archive = ArchiveFixtures.write([.file("a.tar", "not the archive"), .file("b.txt", "b")],
                                            format: .tar, to: folder.path + "/a.tar")
        let before = try FileIO.read(archive)
        let summary = unpack(archive, to: folder.path)
        #expect(summary.failures.map(\.path) == ["a.tar"] && summary.done == 1, "\(summary)")
        #expect(summary.failures.first?.reason.contains("archive being unpacked") == true)
        #expect(try FileIO.read(archive) == before)
    }

    @Test func strictStopsAtTheFirstRefusal() {
        let folder = TemporaryFolder()
        let summary = run([.file("a.txt", "a"), .file("../bad.txt", "x"), .file("b.txt", "b")], in: folder) { $0.strict = true }
        #expect(summary.stoppedAtFirstFailure && !summary.succeeded)
        #expect(folder.unpacked(under: "work/out") == ["a.txt"])
    }
}
