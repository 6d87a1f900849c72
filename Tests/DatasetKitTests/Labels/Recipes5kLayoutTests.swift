import Testing
@testable import DatasetKit

@Suite struct Recipes5kLayoutTests {
    let jpeg = try! ImageEncoder.encode(TestImages.gradient(width: 16, height: 12), as: .jpeg(quality: 90, subsampling: .s420))

    @Test func locatesTheTreeFromItselfOrItsParent() throws {
        let folder = TemporaryFolder()
        Recipes5kFixture.write(in: folder, jpeg: jpeg)
        #expect(try Recipes5kLayout.locate(folder.path).root == folder.path + "/Recipes5k")
        #expect(try Recipes5kLayout.locate(folder.path + "/Recipes5k/").root == folder.path + "/Recipes5k")
        #expect(throws: FileError.self) { try Recipes5kLayout.locate(folder.path + "/Recipes5k/images") }
        #expect(throws: FileError.self) { try Recipes5kLayout.locate(folder.path + "/missing") }
    }

    @Test func readsImagesAndIngredientListsThroughTheIndices() throws {
        let folder = TemporaryFolder()
        Recipes5kFixture.write(in: folder, jpeg: jpeg)
        let layout = try Recipes5kLayout.locate(folder.path)
        #expect(try layout.images(split: .train) == Array(Recipes5kFixture.images[0...2]))
        #expect(try layout.images(split: .test) == [Recipes5kFixture.images[4]])
        let simplified = try layout.ingredients(split: .train, simplified: true)
        #expect(simplified.map(\.image) == Array(Recipes5kFixture.images[0...2]))
        #expect(simplified[0].ingredients == ["dashi", "miso", "tofu", "green onion", "tofu"])
        #expect(simplified[2].ingredients == ["beef", "tortilla", "onion", "cilantro", "lime"])
        let raw = try layout.ingredients(split: .val, simplified: false)
        #expect(raw.map(\.ingredients) == [["red miso", "dashi", "seaweed"]])
        #expect(try layout.classes() == ["chocolate_cake", "beef_tacos", "miso_soup"])
    }

    @Test func badIndicesAndCountMismatchesAreErrors() throws {
        let folder = TemporaryFolder()
        Recipes5kFixture.write(in: folder, jpeg: jpeg)
        let layout = try Recipes5kLayout.locate(folder.path)
        folder.write("Recipes5k/annotations/val_labels.txt", Array("9\n".utf8))
        #expect(throws: Recipes5kLayout.FormatError.self) { try layout.ingredients(split: .val, simplified: true) }
        folder.write("Recipes5k/annotations/val_labels.txt", Array("x\n".utf8))
        do {
            _ = try layout.ingredients(split: .val, simplified: true)
            Issue.record("accepted a non-numeric index")
        } catch let error as Recipes5kLayout.FormatError {
            #expect(error.line == 1 && error.description.contains("'x' is not a line index"))
        }
        folder.write("Recipes5k/annotations/val_labels.txt", Array("1\n2\n".utf8))
        #expect(throws: Recipes5kLayout.FormatError.self) { try layout.ingredients(split: .val, simplified: true) }
    }
}
