import DatasetKit
import Foundation
import Testing

/// Recipes from someone else: checked whole before the first step runs, never writing outside
/// the work folder unless the user says so on the command line, never crashing the parser.
@Suite struct RecipeSafetyTests {
    let recipe = RunCommandTests.recipe

    func write(_ s: Scratch, _ text: String) -> String { RunCommandTests().write(s, text) }

    @Test func anUnknownOptionCommandOrSetTypoStopsTheRunBeforeTheFirstStep() throws {
        let cases: [(String, [String], String)] = [
            (recipe.replacingOccurrences(of: "size: \"32\"", with: "size: \"32\", sise: \"3\""), [], "Unknown option '--sise'"),
            (recipe.replacingOccurrences(of: "size: \"32\"", with: "size: \"32\", normalize: sideways"), [], "--normalize"),
            (recipe.replacingOccurrences(of: "command: pack", with: "command: pak"), [], "pak"),
            (recipe, ["--set", "pack.sise=16"], "Unknown option '--sise'"),
        ]
        for (text, extra, message) in cases {
            let s = Scratch()
            let r = try CLI.run(["run", write(s, text), "--sample", "--work", s.path + "/work"] + extra)
            #expect(r.status == 64 && r.stderr.contains("step 'pack'") && r.stderr.contains(message), "\(message): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: s.path + "/work/sample"), "\(message): a step ran")
        }
    }

    /// Options that name what a step writes must point inside the work folder; so must the
    /// work folder a recipe's name makes. `--set` (the user's own choice) may point elsewhere.
    @Test func aRecipeWritesOnlyInsideItsWorkFolder() throws {
        let s = Scratch()
        let outside = s.path + "/outside"
        let hostile = [
            "args: {size: 32x32, quiet: true, to: \(outside)}",
            "args: {size: 32x32, quiet: true, to: $work/../outside}",
            "args: {size: 32x32, quiet: true, \"to=\(outside)\": true}",
            "inputs: [$input, --to, \(outside)]\n    args: {size: 32x32, quiet: true}",
        ]
        for step in hostile {
            let text = recipe.replacingOccurrences(of: "inputs: [$input]\n    args: {size: 32x32, quiet: true}", with: step)
            #expect(text != recipe)
            let r = try CLI.run(["run", write(s, text), "--sample", "--work", s.path + "/work"])
            #expect(r.status == 64 && r.stderr.contains("resize"), "\(step): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: outside), "\(step): wrote \(s.files("outside"))")
        }
        let augment = recipe + """

              - name: augment
                command: augment
                inputs: [$resize]
                args: {class-size: "4", log: \(outside)/params.jsonl, quiet: true}
            """
        let r = try CLI.run(["run", write(s, augment), "--sample", "--work", s.path + "/work"])
        #expect(r.status == 64 && r.stderr.contains("step 'augment': log:"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside))
        // The same path from the user is theirs to choose.
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let chosen = try CLI.run(["run", write(s, augment), "--sample", "--work", s.path + "/work",
                                  "--set", "augment.log=\(outside)/params.jsonl"])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(FileManager.default.fileExists(atPath: outside + "/params.jsonl"))
    }

    /// A recipe's `move: true` on the user's own input would empty it; on a step's output in the
    /// work folder it may.
    @Test func aRecipeMovesOnlyFilesInsideItsWorkFolder() throws {
        let s = Scratch()
        for c in ["daisy", "rose"] { for i in 0..<2 { s.write("in/\(c)/\(i).jpg", Array("\(c)\(i)".utf8)) } }
        let text = """
            name: mover
            steps:
              - name: split
                command: split
                inputs: [$input]
                args: {ratios: "0.5,0.5", move: true, quiet: true}
            """
        let r = try CLI.run(["run", write(s, text), "--input", s.path + "/in", "--work", s.path + "/work"])
        #expect(r.status == 64 && r.stderr.contains("step 'split': move would move files of"), "\(r.stderr)")
        #expect(s.files("in").count == 4)
        let chosen = try CLI.run(["run", write(s, text), "--input", s.path + "/in", "--work", s.path + "/work", "--set", "split.move=true"])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(s.files("in").isEmpty && s.files("work/split").filter { $0.hasSuffix(".jpg") }.count == 4)
    }

    /// `name: ../../...` would make the default work folder `work/<name>` anywhere.
    @Test func aRecipeNameIsOneFolderName() throws {
        let s = Scratch()
        let climb = String(repeating: "../", count: 40) + s.path.dropFirst() + "/escaped"
        let r = try CLI.run(["run", write(s, recipe.replacingOccurrences(of: "name: tiny", with: "name: \(climb)")), "--sample"])
        #expect(r.status == 64 && r.stderr.contains("name: '"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: s.path + "/escaped"))
    }

    /// A symlinked folder in the work folder that leads out of it is not written through.
    @Test func aSymlinkInTheWorkFolderLeadingOutIsNotWrittenThrough() throws {
        let s = Scratch()
        s.write("outside/keep.txt", Array("keep".utf8))
        s.write("work/placeholder", [])
        try FileManager.default.createSymbolicLink(atPath: s.path + "/work/logs", withDestinationPath: s.path + "/outside")
        let text = recipe + """

              - name: augment
                command: augment
                inputs: [$resize]
                args: {class-size: "4", log: $work/logs/params.jsonl, quiet: true}
            """
        let r = try CLI.run(["run", write(s, text), "--sample", "--work", s.path + "/work"])
        #expect(r.status == 1 && r.stderr.contains("step 'augment' would write") && r.stderr.contains("leads out of"), "\(r.stderr)")
        #expect(s.files("outside") == ["keep.txt"])
    }

    /// 6000 levels in 12 KB: refused by a pre-scan, not a stack overflow in the YAML parser.
    @Test func deeplyNestedRecipesAreRefusedNotCrashing() throws {
        let s = Scratch()
        let texts = [
            "name: x\nsteps: " + String(repeating: "[", count: 6000) + String(repeating: "]", count: 6000) + "\n",
            "name: x\nsteps:\n" + String(repeating: "- ", count: 6000) + "a\n",
            "name: x\nsteps: " + String(repeating: "{a: ", count: 3000) + "b" + String(repeating: "}", count: 3000) + "\n",
        ]
        for text in texts {
            let r = try CLI.run(["run", write(s, text), "--work", s.path + "/work"])
            #expect(r.status == 64 && r.stderr.contains("nests too deep"), "\(r.status): \(r.stderr.prefix(300))")
        }
        s.write("big.yaml", [UInt8](repeating: UInt8(ascii: "#"), count: RecipeTextLimits.maximumBytes + 1))
        let big = try CLI.run(["run", s.path + "/big.yaml", "--work", s.path + "/work"])
        #expect(big.status == 64 && big.stderr.contains("bytes"), "\(big.stderr)")
    }
}
