/// A dataset's whole preparation and training, declared once (`recipes/<name>.yaml`) and run
/// by `dataset run`.
///
/// ```yaml
/// name: food101
/// input: food-101.tar.gz          # what --input defaults to
/// sample:                         # what --sample makes instead of a download
///   layout: food101
///   args: {classes: 10, per-class: 40}
///   input: food-101.tar.gz        # the file or folder of the sample that stands for --input
///   steps:                        # step options that differ on the sample (smaller, fewer epochs)
///     train: {epochs: "2"}
/// steps:
///   - name: unpack
///     command: unpack
///     inputs: [$input]
///   - name: split
///     command: split
///     inputs: [$unpack/food-101]
///     args: {first: 10}
/// ```
///
/// Each step is a `dataset` command with the options the command line takes; `inputs` are its
/// positional arguments and its output is `--to <work>/<step name>` (unless `to: false`).
/// `$input` is the recipe's input, `$work` the work folder, `$<step>` a step's output.
public struct Recipe: Sendable, Codable, Equatable {
    public var name: String
    public var description: String?
    /// The default input, relative to the current folder, when `--input` is not given.
    public var input: String?
    public var sample: SampleSpec?
    public var steps: [RecipeStep]

    /// How `--sample` makes a stand-in for the real download.
    public struct SampleSpec: Sendable, Codable, Equatable {
        /// A `dataset sample` layout: food101, recipes5k, products, multilabel, folders.
        public var layout: String
        public var args: [String: RecipeValue]?
        /// The path inside the sample folder that becomes `$input`.
        public var input: String
        /// Options that replace (or add to) a step's `args` when the recipe runs on the sample,
        /// by step name: a sample is small, so it trains for fewer epochs at a smaller size.
        public var steps: [String: [String: RecipeValue]]?

        public init(layout: String, args: [String: RecipeValue]? = nil, input: String,
                    steps: [String: [String: RecipeValue]]? = nil) {
            self.layout = layout
            self.args = args
            self.input = input
            self.steps = steps
        }
    }

    public init(name: String, description: String? = nil, input: String? = nil, sample: SampleSpec? = nil,
                steps: [RecipeStep]) {
        self.name = name
        self.description = description
        self.input = input
        self.sample = sample
        self.steps = steps
    }

    /// Problems that make the recipe unusable, each naming the step: an unsafe recipe or step
    /// name, duplicate step names, references to unknown or later steps, command words, option
    /// names or inputs that would smuggle in options (`RecipeConfinement`).
    public func validationErrors() -> [String] {
        var errors: [String] = []
        var seen = Set<String>()
        if let reason = PlainName.problem(name) ?? (name.hasPrefix(".") ? "is hidden" : nil) {
            errors.append("name: '\(printableName(name))' \(reason); the work folder is named after it (work/<name>)")
        }
        if steps.isEmpty { errors.append("the recipe has no steps") }
        for (index, step) in steps.enumerated() {
            let label = "step \(index + 1) ('\(printableName(step.name))')"
            if PlainName.problem(step.name) != nil || step.name.hasPrefix(".") || ["input", "work", "sample"].contains(step.name) {
                errors.append("\(label): a step name must be a plain folder name, not 'input', 'work' or 'sample'")
            }
            if !seen.insert(step.name).inserted { errors.append("\(label): the name is used twice") }
            let words = step.command.split(separator: " ")
            if words.isEmpty { errors.append("\(label): no command") }
            for word in words { if let reason = RecipeConfinement.commandWordProblem(word) { errors.append("\(label): \(reason)") } }
            for key in (step.args ?? [:]).keys.sorted() {
                if let reason = RecipeConfinement.optionNameProblem(key) { errors.append("\(label): \(reason)") }
            }
            for input in step.inputs ?? [] {
                if let reason = RecipeConfinement.inputProblem(input) { errors.append("\(label): \(reason)") }
            }
            for reference in step.references where !seen.contains(reference) || reference == step.name {
                errors.append("\(label): '$\(reference)' names no earlier step")
            }
        }
        for name in (sample?.steps ?? [:]).keys.sorted() where !seen.contains(name) {
            errors.append("sample.steps: '\(name)' names no step")
        }
        if let sample {
            if let reason = ContainedPath.problem(sample.input), sample.input != "." {
                errors.append("sample.input: '\(printableName(sample.input))' \(reason) (a path inside the sample)")
            }
            for key in (sample.args ?? [:]).keys.sorted() {
                if let reason = RecipeConfinement.optionNameProblem(key) {
                    errors.append("sample.args: \(reason)")
                } else if RecipeConfinement.writingOptions.contains(key) {
                    errors.append("sample.args: '\(key)' is set by `dataset run` (the sample goes to <work>/sample)")
                }
            }
        }
        return errors
    }

    /// The recipe as it runs on its sample: each step's `args` with the `sample.steps`
    /// options for it laid over them (an option given there wins; `false` drops a flag).
    public func onSample() -> Recipe {
        guard let overrides = sample?.steps else { return self }
        var copy = self
        copy.steps = steps.map { step in
            guard let options = overrides[step.name] else { return step }
            var changed = step
            changed.args = (step.args ?? [:]).merging(options) { _, sample in sample }
            return changed
        }
        return copy
    }
}
