import DatasetKit
import Testing

@Suite struct RecipeSampleTests {
    static let recipe = Recipe(
        name: "r",
        sample: .init(layout: "folders", input: ".", steps: ["pack": ["size": .text("32"), "shuffle": .flag(false), "seed": .text("3")]]),
        steps: [RecipeStep(name: "resize", command: "resize", inputs: ["$input"], args: ["size": .text("64")]),
                RecipeStep(name: "pack", command: "pack", inputs: ["$resize"], args: ["size": .text("128"), "shuffle": .flag(true)])])

    @Test func sampleStepOptionsReplaceAndAddToTheStepsArgs() throws {
        let sample = Self.recipe.onSample()
        #expect(sample.steps[0] == Self.recipe.steps[0])
        #expect(sample.steps[1].args == ["size": .text("32"), "shuffle": .flag(false), "seed": .text("3")])
        let plan = try RecipePlan(recipe: sample, input: "/in", work: "/w", inputIdentity: "1")
        #expect(plan.steps[1].arguments == ["pack", "/w/resize", "--to", "/w/pack", "--seed", "3", "--size", "32"])
        // The real run keeps the recipe's own options, and so a different digest.
        let real = try RecipePlan(recipe: Self.recipe, input: "/in", work: "/w", inputIdentity: "1")
        #expect(real.steps[1].arguments == ["pack", "/w/resize", "--to", "/w/pack", "--shuffle", "--size", "128"])
        #expect(real.steps[0].digest == plan.steps[0].digest && real.steps[1].digest != plan.steps[1].digest)
    }

    @Test func sampleOptionsForAnUnknownStepAreRefused() {
        var recipe = Self.recipe
        recipe.sample?.steps = ["train": ["epochs": .text("1")]]
        #expect(recipe.validationErrors() == ["sample.steps: 'train' names no step"])
        #expect(Recipe(name: "x", steps: Self.recipe.steps).onSample() == Recipe(name: "x", steps: Self.recipe.steps))
    }

    @Test func theSampleIsAStepOfItsOwnWhoseCommandLineIdentifiesTheInput() throws {
        let sample = ["sample", "folders", "--to", "/w/sample", "--classes", "2"]
        var plan = try RecipePlan(recipe: Self.recipe.onSample(), input: "/w/sample/.", work: "/w", inputIdentity: sample.joined(separator: " "))
        let before = plan.steps.map(\.digest)
        plan.prependInputStep(name: "sample", arguments: sample, output: "/w/sample")
        #expect(plan.steps.map(\.name) == ["sample", "resize", "pack"])
        #expect(plan.steps[0].arguments == sample && plan.steps[0].output == "/w/sample" && plan.steps[0].writesOutput)
        #expect(Array(plan.steps.dropFirst().map(\.digest)) == before)
        let other = try RecipePlan(recipe: Self.recipe.onSample(), input: "/w/sample/.", work: "/w", inputIdentity: "sample folders --classes 3")
        #expect(other.steps.map(\.digest) != before)
        var named = Self.recipe
        named.steps[0].name = "sample"
        #expect(named.validationErrors().contains { $0.contains("not 'input', 'work' or 'sample'") })
    }
}

@Suite struct RecipeOverrideTests {
    @Test func parsesStepOptionValue() {
        #expect(RecipeOverride("train.epochs=50") == RecipeOverride(step: "train", option: "epochs", value: .text("50")))
        #expect(RecipeOverride("train.flip=true")?.value == .flag(true) && RecipeOverride("train.flip=false")?.value == .flag(false))
        #expect(RecipeOverride("augment.zoom-range=0.8,1.2")?.value == .text("0.8,1.2"))
        #expect(RecipeOverride("split.ratios=")?.value == .text(""))
        for bad in ["epochs=5", "train.=5", ".epochs=5", "train.epochs", "train.--epochs=5"] { #expect(RecipeOverride(bad) == nil, "\(bad)") }
    }

    @Test func overridesStepsAndTheSampleAndNameUnknownSteps() throws {
        let recipe = Recipe(name: "r", sample: .init(layout: "folders", args: ["classes": .text("2")], input: "."),
                            steps: [RecipeStep(name: "pack", command: "pack", args: ["size": .text("128"), "shuffle": .flag(true)])])
        let changed = try recipe.applying([RecipeOverride("pack.size=64")!, RecipeOverride("pack.shuffle=false")!,
                                           RecipeOverride("sample.classes=5")!, RecipeOverride("pack.size=32")!])
        #expect(changed.steps[0].args == ["size": .text("32"), "shuffle": .flag(false)])
        #expect(changed.sample?.args == ["classes": .text("5")])
        #expect(throws: RecipeError.self) { try recipe.applying([RecipeOverride("train.epochs=1")!]) }
        do { _ = try recipe.applying([RecipeOverride("train.epochs=1")!]) } catch {
            #expect(error.description == "no step named 'train' (steps: sample, pack)")
        }
    }
}
