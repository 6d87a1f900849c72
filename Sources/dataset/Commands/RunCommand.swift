import ArgumentParser
import DatasetKit
import Foundation
import Yams

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a recipe: a dataset's whole preparation (and training), declared once in YAML.",
        discussion: """
            Steps run in order; each writes <work>/<step>. A step whose command line and inputs \
            are unchanged since it last finished is skipped (stamps in <work>/.stamps); --from \
            reruns from a step on. A failing step stops the run and leaves earlier outputs as they are.

            Examples:
              dataset run recipes/food101.yaml --sample            # on a small generated sample
              dataset run recipes/food101.yaml --input ~/Downloads/food-101.tar.gz
              dataset run recipes/food101.yaml --sample --from resize
              dataset run recipes/food101.yaml --sample --dry-run
            """
    )

    @Argument(help: "The recipe file (YAML).")
    var recipe: String

    @Option(help: "The recipe's input (an archive or folder; default: the recipe's own `input`).")
    var input: String?

    @Option(help: "Work folder for every step's output (default: work/<recipe name>).")
    var work: String?

    @Flag(help: "Run on a generated sample in the recipe's layout instead of a real download.")
    var sample = false

    @Option(name: .customLong("from"), help: "Rerun this step and every later one, even if finished.")
    var fromStep: String?

    @Flag(help: "Print what would run and what would be skipped; run nothing.")
    var dryRun = false

    func validate() throws {
        guard FileIO.exists(recipe) else { throw ValidationError("recipe file '\(recipe)' does not exist.") }
        if sample && input != nil { throw ValidationError("--sample and --input exclude each other.") }
    }

    func run() throws {
        let loaded = try RecipeFile.load(self.recipe)
        // On the sample, steps take the recipe's `sample.steps` options (smaller, fewer epochs).
        let recipe = sample ? loaded.onSample() : loaded
        // Training steps need OpenMP configured before oneDNN loads, which re-executes the
        // process; do that now, before any step runs, rather than from inside a step (which
        // would start the whole recipe again).
        if recipe.steps.contains(where: { ["train", "evaluate", "predict"].contains($0.command.split(separator: " ").first ?? "") }) {
            OpenMPEnvironment.prepare(threads: RunOptions.coreCount)
        }
        let work = FileTree.normalise(self.work ?? "work/\(recipe.name)")
        let input = try resolveInput(recipe, work: work)
        let plan: RecipePlan
        do {
            plan = try RecipePlan(recipe: recipe, input: input, work: work, inputIdentity: RecipeFile.identity(of: input))
        } catch { throw ValidationError("\(error)") }
        var forceFrom = plan.steps.count
        if let fromStep {
            guard let index = plan.steps.firstIndex(where: { $0.name == fromStep }) else {
                throw ValidationError("--from: \(RecipeError.unknownStep(fromStep, known: plan.steps.map(\.name)))")
            }
            forceFrom = index
        }
        let runner = RecipeRunner(plan: plan, dryRun: dryRun)
        try runner.run(forceFrom: forceFrom)
    }

    /// The recipe's input: a generated sample, --input, or the recipe's default.
    private func resolveInput(_ recipe: Recipe, work: String) throws -> String {
        if sample {
            guard let spec = recipe.sample else {
                throw ValidationError("recipe '\(recipe.name)' declares no `sample:`, so --sample cannot stand in for its input.")
            }
            let folder = work + "/sample"
            var arguments = ["sample", spec.layout, "--to", folder]
            for (name, value) in (spec.args ?? [:]).sorted(by: { $0.key < $1.key }) {
                arguments += value.arguments(for: name)
            }
            let path = folder + "/" + spec.input
            if !FileIO.exists(path) && !dryRun {
                FileHandle.standardError.write(Data("== sample: dataset \(arguments.joined(separator: " "))\n".utf8))
                var command = try Dataset.parseAsRoot(arguments)
                try command.run()
            }
            return path
        }
        guard let path = input ?? recipe.input else {
            throw ValidationError("recipe '\(recipe.name)' names no input: pass --input PATH (or --sample).")
        }
        guard FileIO.exists(path) else { throw ValidationError("--input: '\(path)' does not exist.") }
        return path
    }
}
