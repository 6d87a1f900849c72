/// One `--set STEP.OPTION=VALUE` of `dataset run`: a step's option changed for one run without
/// editing the recipe (`train.epochs=50`); step `sample` changes the sample's options
/// (`sample.per-class=40`). `true` sets a flag, `false` drops it.
public struct RecipeOverride: Sendable, Equatable {
    public var step: String
    public var option: String
    public var value: RecipeValue

    public init(step: String, option: String, value: RecipeValue) {
        self.step = step
        self.option = option
        self.value = value
    }

    /// Parses `STEP.OPTION=VALUE`; nil when a part is missing.
    public init?(_ text: String) {
        guard let equals = text.firstIndex(of: "="), let dot = text[..<equals].firstIndex(of: ".") else { return nil }
        let step = String(text[..<dot]), option = String(text[text.index(after: dot)..<equals])
        let raw = String(text[text.index(after: equals)...])
        guard !step.isEmpty, !option.isEmpty, !option.hasPrefix("-") else { return nil }
        self.init(step: step, option: option, value: raw == "true" ? .flag(true) : raw == "false" ? .flag(false) : .text(raw))
    }
}

extension Recipe {
    /// The recipe with each override laid over its step's `args` (a later one wins), or over
    /// the sample's `args` for step `sample`. An override for no step is an error naming them.
    public func applying(_ overrides: [RecipeOverride]) throws(RecipeError) -> Recipe {
        var copy = self
        for override in overrides {
            if override.step == "sample", var spec = copy.sample {
                spec.args = (spec.args ?? [:]).merging([override.option: override.value]) { _, new in new }
                copy.sample = spec
            } else if let index = copy.steps.firstIndex(where: { $0.name == override.step }) {
                copy.steps[index].args = (copy.steps[index].args ?? [:]).merging([override.option: override.value]) { _, new in new }
            } else {
                throw .unknownStep(override.step, known: (sample == nil ? [] : ["sample"]) + steps.map(\.name))
            }
        }
        return copy
    }
}
