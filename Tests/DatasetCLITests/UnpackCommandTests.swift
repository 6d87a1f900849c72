import DatasetKit
import Foundation
import Testing

/// `dataset unpack` as a user runs it, on archives made with GNU tar.
@Suite struct UnpackCommandTests {
    /// Runs `tar` in `directory` (tar writes the unsafe archives a careless or hostile packer would).
    func tar(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tar \(arguments)")
    }

    func md5(_ path: String) -> String {
        let digest = StreamingDigest(.md5)
        FileManager.default.contents(atPath: path)!.withUnsafeBytes { digest.update($0) }
        return digest.finalize()
    }

    /// A Food-101-like tree packed as `food-101.tar.gz` in `s`.
    func food101(_ s: Scratch) throws -> String {
        for c in ["apple_pie", "cheesecake"] { for i in 0..<3 { s.write("src/food-101/images/\(c)/\(i).jpg", Array("\(c)\(i)".utf8)) } }
        s.write("src/food-101/meta/classes.txt", Array("apple_pie\ncheesecake\n".utf8))
        s.write("src/food-101/meta/train.json", Array("{}".utf8))
        try tar(["czf", s.path + "/food-101.tar.gz", "food-101"], in: s.path + "/src")
        return s.path + "/food-101.tar.gz"
    }

    @Test func rejectsBadArgumentsNamingTheFlag() throws {
        let s = Scratch()
        let archive = try food101(s)
        s.write("file.txt", [1])
        let cases: [([String], String)] = [
            (["unpack", s.path + "/nope.tar.gz", "--to", s.path + "/out"], "does not exist"),
            (["unpack", s.path + "/src", "--to", s.path + "/out"], "is a folder"),
            (["unpack", archive, "--to", s.path + "/file.txt"], "--to"),
            (["unpack", archive, "--to", s.path + "/out", "--max-size", "lots"], "--max-size"),
            (["unpack", archive, "--to", s.path + "/out", "--max-size", "0"], "--max-size"),
            (["unpack", archive, "--to", s.path + "/out", "--verify", "md5:1234"], "--verify"),
            (["unpack", archive, "--to", s.path + "/out", "--verify", "crc32:" + String(repeating: "0", count: 32)], "--verify"),
            (["unpack", archive], "--to"),
        ]
        for (arguments, message) in cases {
            let r = try CLI.run(arguments)
            #expect(r.status == 64, "\(arguments)")
            #expect(r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out"))
    }

    @Test func unpacksVerifiesRecognisesAndRerunsSkip() throws {
        let s = Scratch()
        let archive = try food101(s)
        let args = ["unpack", archive, "--to", s.path + "/data", "--verify", "md5:" + md5(archive), "--json", "-q"]
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("verified: md5 \(md5(archive)) matches"))
        #expect(r.stderr.contains("found: Food-101 in \(s.path)/data/food-101: 2 classes, 6 images; meta: classes.txt, train.json"),
                "\(r.stderr)")
        #expect(r.stderr.contains("unpack: 13 done in "), "\(r.stderr)")   // 5 folders, 6 images, 2 meta files
        let summary = try JSONDecoder().decode(UnpackSummary.self, from: Data(r.stdout.utf8))
        #expect(summary.done == 13 && summary.failed == 0 && summary.format.contains("gzip"))
        #expect(summary.dataset?.layout == .food101 && summary.verification?.matches == true)
        #expect(s.read("data/food-101/images/cheesecake/2.jpg") == Array("cheesecake2".utf8))

        let again = try CLI.run(Array(args.dropLast(2)) + ["-q"])
        #expect(again.status == 0 && again.stderr.contains("unpack: 0 done, 13 skipped (already there)"), "\(again.stderr)")
    }

    @Test func wrongDigestFailsButKeepsTheFiles() throws {
        let s = Scratch()
        let archive = try food101(s)
        let wrong = "85eeb15f3717b99a5da872d97d918f87"
        let r = try CLI.run(["unpack", archive, "--to", s.path + "/data", "--verify", wrong, "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("md5 mismatch: expected \(wrong), got \(md5(archive))"), "\(r.stderr)")
        #expect(r.stderr.contains("do not trust"))
        #expect(s.files("data").filter { !$0.hasSuffix(UnpackJournal.fileName) }.count == 8)
    }

    @Test func refusesUnsafeEntriesAndExitsOne() throws {
        let s = Scratch()
        s.write("src/x.txt", Array("fine".utf8))
        s.write("up.txt", Array("outside".utf8))
        s.write("abs.txt", Array("absolute".utf8))
        try FileManager.default.createSymbolicLink(atPath: s.path + "/src/link", withDestinationPath: "/etc/passwd")
        try tar(["cfP", s.path + "/evil.tar", "../up.txt", s.path + "/abs.txt", "x.txt", "link"], in: s.path + "/src")
        let r = try CLI.run(["unpack", s.path + "/evil.tar", "--to", s.path + "/out/inner", "--json", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("refused: ../up.txt: '..' component"), "\(r.stderr)")
        #expect(r.stderr.contains("refused: \(s.path)/abs.txt: absolute path"), "\(r.stderr)")
        #expect(r.stderr.contains("refused: link: symlink target outside DIR (/etc/passwd)"), "\(r.stderr)")
        #expect(r.stderr.contains("unpack: 1 done, 3 refused (unsafe)"), "\(r.stderr)")
        #expect(s.files("out") == ["inner/" + UnpackJournal.fileName, "inner/x.txt"])
        let summary = try JSONDecoder().decode(UnpackSummary.self, from: Data(r.stdout.utf8))
        #expect(summary.refused.count == 3 && summary.failed == 3)
    }

    @Test func notAnArchiveFailsClearly() throws {
        let s = Scratch()
        s.write("photo.tar.gz", Array("JFIF, not a tarball".utf8))
        let r = try CLI.run(["unpack", s.path + "/photo.tar.gz", "--to", s.path + "/out", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("error: \(s.path)/photo.tar.gz is not a tar or zip archive"), "\(r.stderr)")
    }

    @Test func damagedArchiveExitsOneAndSaysWhere() throws {
        // Two flipped bytes in a tar.gz of 20 incompressible files: gzip -t and GNU tar fail it,
        // and so must unpack (libarchive 3.6 alone does not check the gzip CRC-32).
        let s = Scratch()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<20 {
            let bytes: [UInt8] = (0..<3000).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            s.write("src/set/f\(i).bin", bytes)
        }
        try tar(["czf", s.path + "/set.tar.gz", "set"], in: s.path + "/src")
        var bytes = s.read("set.tar.gz")
        bytes[bytes.count / 2] ^= 0xFF
        bytes[bytes.count / 2 + 1] ^= 0xFF
        s.write("damaged.tar.gz", bytes)
        let r = try CLI.run(["unpack", s.path + "/damaged.tar.gz", "--to", s.path + "/out", "-q"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("error: \(s.path)/damaged.tar.gz is damaged or truncated"), "\(r.stderr)")
        #expect(r.stderr.contains("CRC-32 mismatch"), "\(r.stderr)")
        #expect(r.stderr.contains("stopped early"), "\(r.stderr)")
    }

    @Test func controlCharactersInNamesAreEscapedInMessages() throws {
        // A name with a newline could forge a line of the report ("unpack: ... done") and an
        // escape sequence could drive the terminal.
        let s = Scratch()
        s.write("src/ok.txt", Array("fine".utf8))
        let evil = "evil\nunpack: 99 done\u{1B}[2J"
        try FileManager.default.createSymbolicLink(atPath: s.path + "/src/" + evil, withDestinationPath: "/etc/passwd")
        try tar(["cf", s.path + "/evil.tar", "ok.txt", evil], in: s.path + "/src")
        let r = try CLI.run(["unpack", s.path + "/evil.tar", "--to", s.path + "/out", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("refused: evil\\nunpack: 99 done\\x1B[2J: symlink target outside DIR"), "\(r.stderr)")
        #expect(!r.stderr.contains("\nunpack: 99 done") && !r.stderr.contains("\u{1B}"), "\(r.stderr)")
    }

    @Test func maxDecompressedIsValidatedAndNamedWhenHit() throws {
        let s = Scratch()
        s.write("src/zeros.bin", [UInt8](repeating: 0, count: 4 << 20))
        try tar(["czf", s.path + "/zeros.tar.gz", "zeros.bin"], in: s.path + "/src")
        let bad = try CLI.run(["unpack", s.path + "/zeros.tar.gz", "--to", s.path + "/out", "--max-decompressed", "x"])
        #expect(bad.status == 64 && bad.stderr.contains("--max-decompressed"), "\(bad.stderr)")
        let r = try CLI.run(["unpack", s.path + "/zeros.tar.gz", "--to", s.path + "/out", "--max-decompressed", "1M", "-q"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("raise --max-decompressed if you trust it"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out/zeros.bin"))
    }
}
