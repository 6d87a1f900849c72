import Foundation
import Testing

/// Every recipe in `recipes/` runs on its generated sample (tiny sizes, two epochs), skips every
/// step on a rerun, and reruns from a step with --from.
@Suite struct ShippedRecipesTests {
    /// The package's `recipes/` folder, found from this file's place in the package (not the
    /// current folder, which depends on how the tests are started).
    static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("recipes").path

    /// Each shipped recipe, its step count (besides making the sample) and the step a --from run starts at.
    @Test(arguments: [("food101", 7, "evaluate"), ("recipes5k-multilabel", 5, "pack"), ("products", 6, "pack"), ("folders", 4, "pack")])
    func runsOnItsSampleSkipsWhenFinishedAndRerunsFrom(_ name: String, _ steps: Int, _ from: String) throws {
        let s = Scratch()
        let recipe = Self.recipes + "/\(name).yaml"
        let work = s.path + "/work"
        let first = try CLI.run(["run", recipe, "--sample", "--work", work])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("run: finished \(steps + 1) steps in \(work)"))     // the sample, then the recipe's
        for file in ["model.json", "weights.safetensors", "history.csv", "evaluation-test/report.json"] {
            #expect(FileManager.default.fileExists(atPath: work + "/train/" + file), "\(name): \(file)")
        }
        let report = String(decoding: s.read("work/train/evaluation-test/report.json"), as: UTF8.self)
        #expect(report.contains(name == "recipes5k-multilabel" ? "\"samplesF1\"" : "\"accuracy\""), "\(report.prefix(300))")

        let again = try CLI.run(["run", recipe, "--sample", "--work", work])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.components(separatedBy: ": unchanged since it finished, skipped").count - 1 == steps + 1, "\(again.stderr)")

        let rerun = try CLI.run(["run", recipe, "--sample", "--work", work, "--from", from])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let lines = rerun.stderr.split(separator: "\n").filter { $0.hasPrefix("== [") }
        let start = lines.firstIndex { $0.contains("] \(from): dataset ") }
        #expect(start != nil, "\(rerun.stderr)")
        if let start {
            #expect(lines[..<start].allSatisfy { $0.hasSuffix("unchanged since it finished, skipped") })
            #expect(lines[start...].allSatisfy { !$0.hasSuffix("skipped") } && lines.count == steps + 1)
        }
        #expect(FileManager.default.fileExists(atPath: work + "/train/evaluation-test/report.json"))
    }

    @Test func everyRecipeInTheFolderIsTested() throws {
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Self.recipes).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(shipped == ["folders.yaml", "food101.yaml", "products.yaml", "recipes5k-multilabel.yaml"])
    }
}
