import ArgumentParser
import DatasetKit
import Foundation
import Yams

extension RecipeOverride: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a recipe: a dataset's whole preparation (and training), declared once in YAML.",
        discussion: """
            Steps run in order; each writes <work>/<step>. A step whose command line and inputs \
            are unchanged since it last finished is skipped (stamps in <work>/.stamps); --from \
            reruns from a step on. A failing step stops the run and leaves earlier outputs as they are.

            --sample first writes the recipe's sample (step `sample`, `dataset sample` into \
            <work>/sample) and runs on it with the recipe's sample.steps options (smaller \
            images, fewer epochs), so every recipe runs without a download.

            Recipes shipped in recipes/: food101, recipes5k-multilabel, products, folders.

            Examples:
              dataset run recipes/food101.yaml --sample            # on a small generated sample
              dataset run recipes/food101.yaml --input ~/Downloads/food-101.tar.gz
              dataset run recipes/food101.yaml --sample --from augment
              dataset run recipes/food101.yaml --sample --dry-run
              dataset run recipes/food101.yaml --sample --set sample.per-class=40 --set train.epochs=8
              dataset run recipes/folders.yaml --input fruits-360 --work runs/fruits
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

    @Option(name: .customLong("set"), help: ArgumentHelp("Change a step's option for this run: STEP.OPTION=VALUE (train.epochs=50; sample.per-class=40 with --sample; true/false for a flag). Repeatable.",
                                                         valueName: "step.option=value"))
    var settings: [RecipeOverride] = []

    @Flag(help: "Print what would run and what would be skipped; run nothing.")
    var dryRun = false

    func validate() throws {
        guard FileIO.exists(recipe) else { throw ValidationError("recipe file '\(recipe)' does not exist.") }
        if sample && input != nil { throw ValidationError("--sample and --input exclude each other.") }
        if !sample && settings.contains(where: { $0.step == "sample" }) {
            throw ValidationError("--set sample.OPTION changes the sample: it goes with --sample.")
        }
    }

    func run() throws {
        let loaded = try RecipeFile.load(self.recipe)
        // On the sample, steps take the recipe's `sample.steps` options (smaller, fewer epochs);
        // --set goes over everything.
        let recipe: Recipe
        do { recipe = try (sample ? loaded.onSample() : loaded).applying(settings) } catch {
            throw ValidationError("--set: \(error)")
        }
        // Training steps need OpenMP configured before oneDNN loads, which re-executes the
        // process; do that now, before any step runs, rather than from inside a step (which
        // would start the whole recipe again).
        if recipe.steps.contains(where: { ["train", "evaluate", "predict"].contains($0.command.split(separator: " ").first ?? "") }) {
            OpenMPEnvironment.prepare(threads: RunOptions.coreCount)
        }
        let work = FileTree.normalise(self.work ?? "work/\(recipe.name)")
        var plan: RecipePlan
        if sample {
            // The sample is the first step (stamped and skipped like the others); the same
            // command line writes the same bytes, so it identifies the input.
            let (arguments, folder, input) = try sampleStep(recipe, work: work)
            do {
                plan = try RecipePlan(recipe: recipe, input: input, work: work, inputIdentity: arguments.joined(separator: " "),
                                      userOptions: userOptions)
            } catch { throw ValidationError("\(error)") }
            plan.prependInputStep(name: "sample", arguments: arguments, output: folder)
        } else {
            let input = try resolveInput(recipe)
            do {
                plan = try RecipePlan(recipe: recipe, input: input, work: work, inputIdentity: RecipeFile.identity(of: input),
                                      userOptions: userOptions)
            } catch { throw ValidationError("\(error)") }
        }
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

    /// The `STEP.OPTION`s given with --set: the user's own choices, which may name paths
    /// outside the work folder.
    private var userOptions: Set<String> { Set(settings.map { $0.step + "." + $0.option }) }

    /// --sample: the `dataset sample` command line that writes the recipe's sample into
    /// <work>/sample, that folder, and the path in it that stands for the input.
    private func sampleStep(_ recipe: Recipe, work: String) throws -> (arguments: [String], folder: String, input: String) {
        guard let spec = recipe.sample else {
            throw ValidationError("recipe '\(recipe.name)' declares no `sample:`, so --sample cannot stand in for its input.")
        }
        let folder = work + "/sample"
        var arguments = ["sample", spec.layout, "--to", folder]
        for (name, value) in (spec.args ?? [:]).sorted(by: { $0.key < $1.key }) {
            arguments += value.arguments(for: name)
        }
        return (arguments, folder, folder + "/" + spec.input)
    }

    /// The recipe's input: --input, or the recipe's default.
    private func resolveInput(_ recipe: Recipe) throws -> String {
        guard let path = input ?? recipe.input else {
            throw ValidationError("recipe '\(recipe.name)' names no input: pass --input PATH (or --sample).")
        }
        guard FileIO.exists(path) else { throw ValidationError("--input: '\(path)' does not exist.") }
        return path
    }
}
