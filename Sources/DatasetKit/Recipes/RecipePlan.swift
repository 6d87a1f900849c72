import Crypto
import Foundation

/// A recipe with its paths filled in: every step's command line, output folder and stamp digest.
/// Pure: deciding what to run is separate from running it.
public struct RecipePlan: Sendable {
    public struct Step: Sendable {
        public var name: String
        /// The full argument list after `dataset`: subcommand words, inputs, `--to`, options.
        public var arguments: [String]
        /// `<work>/<name>`.
        public var output: String
        /// False for steps without `--to` (e.g. `evaluate`), whose stamp alone says they finished.
        public var writesOutput: Bool
        /// A digest of everything the step's result depends on: its command line and the
        /// digests of the steps (or the input) it reads. Equal digests mean nothing changed.
        public var digest: String
        /// The paths the recipe makes this step write (its output, `--log`, `--report`...),
        /// each inside the work folder; the runner checks them again on disk, symlinks
        /// resolved, before the step runs. Paths the user gave with `--set` are not listed.
        public var writes: [String] = []
    }

    public var work: String
    public var input: String
    public var steps: [Step]

    /// Plans `recipe` on `input` inside `work`. `inputIdentity` describes the input's content
    /// cheaply (size and time), so a different download reruns the recipe. `userOptions` are
    /// the `STEP.OPTION`s the user set on the command line (`--set`): only those may name a
    /// path outside `work` for a step to write.
    public init(recipe: Recipe, input: String, work: String, inputIdentity: String,
                userOptions: Set<String> = []) throws(RecipeError) {
        var errors = recipe.validationErrors()
        guard errors.isEmpty else { throw RecipeError.invalid(recipe: recipe.name, problems: errors) }
        self.work = work
        self.input = input
        var outputs: [String: String] = ["input": input, "work": work]
        var digests: [String: String] = ["input": Self.digest(["input", input, inputIdentity])]
        var steps: [Step] = []
        for step in recipe.steps {
            let output = work + "/" + step.name
            func resolve(_ text: String) -> String {
                guard text.hasPrefix("$") else { return text }
                let name = String(text.dropFirst().prefix { $0 != "/" })
                guard let base = outputs[name] else { return text }
                return base + text.dropFirst(1 + name.count)
            }
            var arguments = step.command.split(separator: " ").map(String.init)
            let inputs = (step.inputs ?? []).map(resolve)
            arguments += inputs
            for name in (step.args ?? [:]).keys.sorted() where RecipeConfinement.movingOptions.contains(name)
                && step.args?[name] != .flag(false) && !userOptions.contains(step.name + "." + name) {
                for input in inputs {
                    if let reason = RecipeConfinement.writeProblem(input, work: work) {
                        errors.append("step '\(step.name)': \(name) would move files of '\(printableName(input))', which \(reason); a recipe moves only files inside its work folder (--set \(step.name).\(name)=... to allow it)")
                    }
                }
            }
            var writes: [String] = []
            if step.to ?? true {
                arguments += ["--to", output]
                writes.append(output)
            }
            for (name, value) in (step.args ?? [:]).sorted(by: { $0.key < $1.key }) {
                arguments += value.arguments(for: name).map(resolve)
                guard RecipeConfinement.writingOptions.contains(name), !userOptions.contains(step.name + "." + name) else { continue }
                if case .flag = value {
                    errors.append("step '\(step.name)': \(name): needs a path inside the work folder, not true/false")
                }
                for path in value.strings.map(resolve) {
                    if let reason = RecipeConfinement.writeProblem(path, work: work) {
                        errors.append("step '\(step.name)': \(name): '\(printableName(path))' \(reason); a recipe writes only inside its work folder (--set \(step.name).\(name)=PATH to choose another place)")
                    }
                    writes.append(path)
                }
            }
            let upstream = (step.references + ((step.inputs ?? []) + (step.args ?? [:]).values.flatMap(\.strings))
                .filter { $0.hasPrefix("$input") }.map { _ in "input" })
            let digest = Self.digest(arguments + upstream.sorted().compactMap { digests[$0] })
            steps.append(Step(name: step.name, arguments: arguments, output: output, writesOutput: step.to ?? true,
                              digest: digest, writes: writes))
            outputs[step.name] = output
            digests[step.name] = digest
        }
        guard errors.isEmpty else { throw RecipeError.invalid(recipe: recipe.name, problems: errors) }
        self.steps = steps
    }

    /// Puts first a step that writes the input itself (`dataset sample ...` for `--sample`),
    /// so that it is stamped, skipped and rerun like the others. Its output must be the folder
    /// holding the input, and the plan's `inputIdentity` should name its command line, since
    /// the input does not exist before it runs.
    public mutating func prependInputStep(name: String, arguments: [String], output: String) {
        steps.insert(Step(name: name, arguments: arguments, output: output, writesOutput: true, digest: Self.digest(arguments)), at: 0)
    }

    static func digest(_ parts: [String]) -> String {
        var hasher = SHA256()
        for part in parts {
            hasher.update(data: Data(part.utf8))
            hasher.update(data: Data([0]))
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

/// Why a recipe cannot run.
public enum RecipeError: Error, Sendable, CustomStringConvertible {
    case invalid(recipe: String, problems: [String])
    case unknownStep(String, known: [String])

    public var description: String {
        switch self {
        case .invalid(let recipe, let problems):
            return "recipe '\(recipe)' is not valid:\n" + problems.map { "  - " + $0 }.joined(separator: "\n")
        case .unknownStep(let name, let known):
            return "no step named '\(name)' (steps: \(known.joined(separator: ", ")))"
        }
    }
}
