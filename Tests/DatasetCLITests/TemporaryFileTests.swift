import DatasetKit
import Foundation
import Testing
import TestSupport

/// Our own temporary files: they fit any final name, and a finished rerun clears what an
/// interrupted run left.
@Suite struct TemporaryFileTests {
    /// This machine's part of our temporary names (`<host>` in `.name.<host>-<pid>-<n>.dataset-tmp`).
    static var hostTag: String {
        let name = FileIO.temporaryPath(for: "x").dropFirst("./.x.".count).dropLast(FileIO.temporarySuffix.count)
        return name.split(separator: "-", omittingEmptySubsequences: false).dropLast(2).joined(separator: "-")
    }

    /// A 250-byte file name: copying it used a temporary name longer than NAME_MAX.
    @Test func filesWithLongNamesAreCopied() throws {
        let s = Scratch()
        let long = String(repeating: "x", count: 246) + ".jpg"
        for c in ["daisy", "rose"] { for i in 0..<2 { s.write("flowers/\(c)/\(i)\(long)", Array("\(c)\(i)".utf8)) } }
        let r = try CLI.run(["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.5,0.5", "--copy", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(s.files("out").filter { $0.hasSuffix(long) }.count == 4)
    }

    @Test func aFinishedMoveRemovesStaleTemporariesOfAnInterruptedOne() throws {
        let s = Scratch()
        for c in ["daisy", "rose"] { for i in 0..<2 { s.write("flowers/\(c)/\(i).jpg", Array("\(c)\(i)".utf8)) } }
        let dead = try deadProcessID()
        let stale = ".0.jpg.\(Self.hostTag)-\(dead)-4" + FileIO.temporarySuffix
        for split in ["train", "test"] { s.write("out/\(split)/daisy/" + stale, [1, 2]) }
        s.write("out/train/daisy/.notes.txt", [1])
        let r = try CLI.run(["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.5,0.5", "--move", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: s.path + "/out/train/daisy")) ?? []
        #expect(!left.contains(stale) && left.contains(".notes.txt"), "\(left)")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/out/test/daisy/" + stale))
    }
}
