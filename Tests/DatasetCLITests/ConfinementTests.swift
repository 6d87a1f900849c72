import DatasetKit
import Foundation
import Testing

/// Names read from our own side files (lists, journals) and symlinked folders never make a
/// command read, move or write a file outside the folders the user named.
@Suite struct ConfinementTests {
    let jpeg = LabelsCommandTests.jpeg

    @Test func recipes5kListLinesThatClimbOutAreLeftOutAndReported() throws {
        let s = Scratch()
        LabelsCommandTests().writeRecipes5k(s)
        s.write("outside/secret.jpg", jpeg)
        let crlf: ([String]) -> [UInt8] = { Array($0.map { $0 + "\r\n" }.joined().utf8) }
        s.write("data/Recipes5k/annotations/train_images.txt",
                crlf(["miso_soup/0_a_hostedLargeUrl.jpg", "beef_tacos/0_c_hostedLargeUrl.jpg", "../../../outside/secret.jpg"]))
        s.write("data/Recipes5k/annotations/train_labels.txt", crlf(["1", "0", "0"]))
        for mode in [[], ["--hardlink"]] {
            let out = "ml" + mode.joined()
            let r = try CLI.run(["labels", "to-multihot", s.path + "/data", "--from", "recipes5k", "--raw", "--to", s.path + "/" + out, "-q"] + mode)
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stderr.contains("train_images.txt:3: '../../../outside/secret.jpg' climbs out of its folder"), "\(r.stderr)")
            #expect(!s.files(out).contains { $0.contains("secret") }, "\(s.files(out))")
            #expect(s.files(out).contains("ImageSets/0_a_hostedLargeUrl.jpg"))
        }
    }

    /// A journal whose plan names files outside the image folder, or destinations outside the
    /// output, is refused before anything moves.
    @Test func aTamperedSplitJournalMovesNothing() throws {
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("plan.items[0].source", { $0["source"] = "../victim/v.jpg" }),
            ("plan.items[0].split", { $0["split"] = ".." }),
            ("plan.items[0].name", { $0["name"] = "../../escaped.jpg" }),
        ]
        for (field, edit) in edits {
            let s = Scratch()
            for c in ["daisy", "rose"] { for i in 0..<4 { s.write("flowers/\(c)/\(i).jpg", Array("\(c)\(i)".utf8)) } }
            s.write("victim/v.jpg", Array("victim".utf8))
            // Block every output name of daisy/0.jpg so the first run stops with its journal left.
            for split in ["train", "test"] { s.write("out/\(split)/daisy/0.jpg/x", [0]) }
            let args = ["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.5,0.5", "--seed", "1", "--move", "-q"]
            #expect(try CLI.run(args).status == 1)
            let journalPath = s.path + "/out/" + SplitJournal.fileName
            var journal = try #require(try JSONSerialization.jsonObject(with: Data(FileIO.read(journalPath))) as? [String: Any])
            var plan = journal["plan"] as! [String: Any]
            var items = plan["items"] as! [[String: Any]]
            edit(&items[0])
            plan["items"] = items
            journal["plan"] = plan
            try FileIO.writeAtomically([UInt8](JSONSerialization.data(withJSONObject: journal)), to: journalPath)
            for split in ["train", "test"] { try FileManager.default.removeItem(atPath: s.path + "/out/\(split)/daisy/0.jpg") }
            let before = s.files("flowers")
            let rerun = try CLI.run(args)
            #expect(rerun.status == 1 && rerun.stderr.contains(SplitJournal.fileName) && rerun.stderr.contains(field), "\(field): \(rerun.stderr)")
            #expect(s.read("victim/v.jpg") == Array("victim".utf8) && s.files("flowers") == before, "\(field)")
            #expect(!FileManager.default.fileExists(atPath: s.path + "/escaped.jpg") && !FileManager.default.fileExists(atPath: s.path + "/daisy"))
        }
    }

    /// `flowers/rose` is a symlink to a folder elsewhere: split reads it, but a move leaves
    /// those files where they are and says why.
    @Test func moveLeavesFilesOfASymlinkedFolderOutsideTheRoot() throws {
        let s = Scratch()
        for i in 0..<4 {
            s.write("flowers/daisy/\(i).jpg", Array("daisy\(i)".utf8))
            s.write("elsewhere/rose/\(i).jpg", Array("rose\(i)".utf8))
        }
        try FileManager.default.createSymbolicLink(atPath: s.path + "/flowers/rose", withDestinationPath: s.path + "/elsewhere/rose")
        let r = try CLI.run(["split", s.path + "/flowers", "--to", s.path + "/out", "--ratios", "0.5,0.5", "--move", "-q"])
        #expect(r.status == 1 && r.stderr.contains("leads out of"), "\(r.stderr)")
        #expect(s.files("elsewhere/rose").count == 4)
        #expect(s.files("out").filter { $0.contains("/daisy/") }.count == 4 && s.files("out").filter { $0.contains("/rose/") }.isEmpty)
    }

    @Test func quarantineLeavesFilesOfASymlinkedFolderOutsideTheRoot() throws {
        let s = Scratch()
        s.write("data/cat/good.jpg", jpeg)
        s.write("data/cat/empty.jpg", [])
        s.write("elsewhere/dog/empty.jpg", [])
        try FileManager.default.createSymbolicLink(atPath: s.path + "/data/dog", withDestinationPath: s.path + "/elsewhere/dog")
        let r = try CLI.run(["clean", s.path + "/data", "--quarantine", s.path + "/q", "-q"])
        #expect(r.status == 1 && r.stderr.contains("dog/empty.jpg") && r.stderr.contains("leads out of"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: s.path + "/elsewhere/dog/empty.jpg"))
        #expect(s.files("q").contains("cat/empty.jpg") && !s.files("q").contains { $0.hasPrefix("dog/") }, "\(s.files("q"))")
    }
}
