import DatasetKit
import Foundation
import Testing

/// The documented input limits as a user meets them: `--size` past 16384 a side is a bad
/// argument for every command that resizes; an image file over `--max-file-size` fails alone.
@Suite struct InputLimitsCommandTests {
    static let jpeg = try! ImageEncoder.encode(RGBImage(width: 40, height: 30), as: .jpeg(quality: 90, subsampling: .s420))

    @Test func oversizedOutputIsABadArgument() throws {
        let s = Scratch()
        s.write("src/a/x.jpg", Self.jpeg)
        for command in ["resize", "pack", "augment", "stats"] {
            let output = command == "stats" ? [] : ["--to", s.path + "/out-" + command]
            let r = try CLI.run([command, s.path + "/src"] + output + ["--size", "20000x20000", "-q"])
            #expect(r.status == 64, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("--size") && r.stderr.contains("16384"), "\(command): \(r.stderr)")
            #expect(s.files("out-" + command).isEmpty)
        }
    }

    @Test func aFileOverMaxFileSizeFailsAloneAndNamesTheFlag() throws {
        let s = Scratch()
        s.write("src/a/small.jpg", Self.jpeg)
        s.write("src/a/big.jpg", Self.jpeg + [UInt8](repeating: 0, count: 5_000))
        let r = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/out", "--size", "8", "--max-file-size", "4K", "-q"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("a/big.jpg") && r.stderr.contains("--max-file-size"), "\(r.stderr)")
        #expect(s.files("out") == ["a/small.jpg"])
        let bad = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/out2", "--size", "8", "--max-file-size", "lots"])
        #expect(bad.status == 64 && bad.stderr.contains("--max-file-size"))
        let scans = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/out3", "--size", "8", "--max-scans", "0"])
        #expect(scans.status == 64 && scans.stderr.contains("--max-scans"))
    }
}
