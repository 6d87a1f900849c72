import DatasetKit
import Foundation
import Testing

@Suite struct RunCommandTests {
    /// A small recipe over a class-folder sample: resize, then pack.
    static let recipe = """
        name: tiny
        sample:
          layout: folders
          args: {classes: 2, per-class: 4}
          input: .
        steps:
          - name: resize
            command: resize
            inputs: [$input]
            args: {size: 32x32, quiet: true}
          - name: pack
            command: pack
            inputs: [$resize]
            args: {size: "32", quiet: true}
        """

    func write(_ s: Scratch, _ text: String) -> String {
        s.write("recipe.yaml", Array(text.utf8))
        return s.path + "/recipe.yaml"
    }

    @Test func runsSkipsUnchangedAndRerunsFrom() throws {
        let s = Scratch()
        let recipe = write(s, Self.recipe)
        let work = s.path + "/work"
        let first = try CLI.run(["run", recipe, "--sample", "--work", work])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: work + "/pack/manifest.json"))
        #expect(FileManager.default.fileExists(atPath: work + "/.stamps/pack.json"))

        let second = try CLI.run(["run", recipe, "--sample", "--work", work])
        #expect(second.status == 0)
        #expect(second.stderr.contains("resize: unchanged since it finished, skipped"))
        #expect(second.stderr.contains("pack: unchanged since it finished, skipped"))

        let from = try CLI.run(["run", recipe, "--sample", "--work", work, "--from", "pack"])
        #expect(from.status == 0)
        #expect(from.stderr.contains("resize: unchanged"))
        #expect(from.stderr.contains("[3/3] pack: dataset pack"))

        // Changing a step's options reruns it and everything after it.
        let changed = write(s, Self.recipe.replacingOccurrences(of: "size: 32x32", with: "size: 24x24"))
        let third = try CLI.run(["run", changed, "--sample", "--work", work])
        #expect(third.status == 0)
        #expect(third.stderr.contains("[1/3] sample: unchanged"))
        #expect(third.stderr.contains("[2/3] resize: dataset resize"))
        #expect(third.stderr.contains("[3/3] pack: dataset pack"))

        // A different sample is made afresh (the old one set aside), and everything after it reruns.
        let fourth = try CLI.run(["run", write(s, Self.recipe.replacingOccurrences(of: "per-class: 4", with: "per-class: 3")), "--sample", "--work", work])
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(fourth.stderr.contains("[1/3] sample: dataset sample folders --to \(work)/sample --classes 2 --per-class 3"))
        #expect(fourth.stderr.contains("[3/3] pack: dataset pack"))
        #expect(s.files("work/sample").count == 6 && s.files("work/.previous/sample").count == 8)
    }

    @Test func aFailingStepStopsTheRunAndKeepsEarlierOutputs() throws {
        let s = Scratch()
        // A value the command's own validate() refuses is found when the step runs (before, its
        // input folder may not exist yet); one that does not parse is found before any step runs.
        let recipe = write(s, Self.recipe.replacingOccurrences(of: "size: \"32\"", with: "size: \"32\", shard-size: \"0\""))
        let r = try CLI.run(["run", recipe, "--sample", "--work", s.path + "/work"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("step 'pack' failed"))
        #expect(r.stderr.contains("--shard-size"))
        #expect(FileManager.default.fileExists(atPath: s.path + "/work/resize"))
        #expect(!FileManager.default.fileExists(atPath: s.path + "/work/.stamps/pack.json"))
    }

    @Test func theSampleRunsWithTheRecipesSampleOptions() throws {
        let s = Scratch()
        let recipe = write(s, Self.recipe.replacingOccurrences(of: "  input: .\n", with: "  input: .\n  steps:\n    pack: {size: \"16\"}\n"))
        let r = try CLI.run(["run", recipe, "--sample", "--work", s.path + "/work"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[3/3] pack: dataset pack \(s.path)/work/resize --to \(s.path)/work/pack --quiet --size 16"))
        let manifest = String(decoding: s.read("work/pack/manifest.json"), as: UTF8.self)
        #expect(manifest.contains("16"))
        let real = try CLI.run(["run", recipe, "--input", s.path + "/work/sample", "--work", s.path + "/real", "--dry-run"])
        #expect(real.stderr.contains("--quiet --size 32"))
    }

    @Test func setChangesAStepOrTheSampleForOneRun() throws {
        let s = Scratch()
        let recipe = write(s, Self.recipe)
        let r = try CLI.run(["run", recipe, "--sample", "--work", s.path + "/work", "--dry-run",
                             "--set", "sample.classes=3", "--set", "pack.size=16", "--set", "resize.quiet=false"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("[1/3] sample: dataset sample folders --to \(s.path)/work/sample --classes 3 --per-class 4"))
        #expect(r.stderr.contains("[2/3] resize: dataset resize \(s.path)/work/sample/. --to \(s.path)/work/resize --size 32x32\n"))
        #expect(r.stderr.contains("--quiet --size 16"))
        let unknown = try CLI.run(["run", recipe, "--sample", "--work", s.path + "/work", "--set", "train.epochs=1"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--set: no step named 'train' (steps: sample, resize, pack)"))
        let noSample = try CLI.run(["run", recipe, "--input", s.path, "--work", s.path + "/work", "--set", "sample.classes=3"])
        #expect(noSample.status == 64 && noSample.stderr.contains("goes with --sample"))
        let malformed = try CLI.run(["run", recipe, "--sample", "--set", "epochs"])
        #expect(malformed.status == 64 && malformed.stderr.contains("--set <step.option=value>"))
    }

    @Test func dryRunRunsNothing() throws {
        let s = Scratch()
        s.write("in/c/a.jpg", try ImageEncoder.encode(RGBImage(width: 8, height: 8, fill: .white), as: .jpeg(quality: 90, subsampling: .s420)))
        let recipe = write(s, Self.recipe)
        let r = try CLI.run(["run", recipe, "--input", s.path + "/in", "--work", s.path + "/work", "--dry-run"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("[1/2] resize: dataset resize \(s.path)/in --to \(s.path)/work/resize"))
        #expect(!FileManager.default.fileExists(atPath: s.path + "/work/resize"))
    }

    @Test func badRecipesAreRefusedClearly() throws {
        let s = Scratch()
        let unknown = write(s, Self.recipe.replacingOccurrences(of: "[$resize]", with: "[$rezise]"))
        let r = try CLI.run(["run", unknown, "--sample", "--work", s.path + "/work"])
        #expect(r.status == 64 && r.stderr.contains("'$rezise' names no earlier step"))
        let from = try CLI.run(["run", write(s, Self.recipe), "--sample", "--work", s.path + "/work", "--from", "train"])
        #expect(from.status == 64 && from.stderr.contains("no step named 'train'"))
        let broken = write(s, "name: x\nsteps: 3\n")
        let b = try CLI.run(["run", broken, "--work", s.path + "/work"])
        #expect(b.status == 64 && b.stderr.contains("not valid"))
    }
}
