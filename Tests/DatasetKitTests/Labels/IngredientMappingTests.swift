import Testing
@testable import DatasetKit

@Suite struct IngredientMappingTests {
    let mapping = try! IngredientMapping.parse(Array(Recipes5kFixture.mapping.utf8), path: "tags.csv")

    @Test func labelsKeepTheFilesOrder() {
        #expect(mapping.labels == ["soups", "mains", "appetizer", "dessert", "protein", "fats", "carbs", "healthy", "junk", "meat"])
    }

    @Test func foldsIngredientsAndTheClassIntoLabelsInMappingOrder() {
        let soup = mapping.fold(["dashi", "miso", "tofu", "green onion", "tofu"], recipeClass: "miso_soup")
        #expect(soup.labels == ["soups", "protein", "healthy"])
        #expect(soup.unmapped == ["dashi", "miso"])
        let kept = mapping.fold(["Tofu", "  GREEN_onion ", "salt", "lime", "lime"], keepUnmapped: true)
        #expect(kept.labels == ["protein", "healthy", "lime"])
        #expect(kept.unmapped == ["lime"])  // salt is known (empty label), lime reported once
    }

    @Test func foldsItemsAndCountsUnmappedIngredients() {
        let items = [TaggedItem(name: "a/1.jpg", tags: ["beef", "x", "x"], origin: "o"), TaggedItem(name: "b/2.jpg", tags: ["x", "y"], origin: "o")]
        let (folded, unmapped) = mapping.fold(items)
        #expect(folded.map(\.tags) == [["protein", "meat"], []])
        #expect(unmapped == [.init(name: "x", count: 2), .init(name: "y", count: 1)])
        let warnings = IngredientMapping.unmappedWarnings(unmapped, mappingPath: "m.csv", keptUnmapped: false)
        #expect(warnings.first == Problem(path: "m.csv", reason: "'x' has no label (2 images): ignored (--keep-unmapped keeps it)"))
    }

    @Test func headerIsOptionalAndBadRowsAreErrors() throws {
        let plain = try IngredientMapping.parse(Array("beef,meat\r\n\"rice, brown\",carbs\r\n".utf8), path: "m.csv")
        #expect(plain.labels == ["meat", "carbs"])
        #expect(plain.fold(["rice, brown"]).labels == ["carbs"])
        #expect(throws: LabelsError.malformed(path: "m.csv", line: 2, reason: "3 fields, expected 'ingredient,label'")) {
            try IngredientMapping.parse(Array("beef,meat\na,b,c\n".utf8), path: "m.csv")
        }
        #expect(throws: LabelsError.self) { try IngredientMapping.parse(Array("ingredient,label\n".utf8), path: "m.csv") }
    }
}
