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
        #expect(s.files("data").count == 8)
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
        #expect(s.files("out") == ["inner/x.txt"])
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
}
