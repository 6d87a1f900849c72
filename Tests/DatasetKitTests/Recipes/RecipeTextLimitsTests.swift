import Foundation
import Testing
@testable import DatasetKit

@Suite struct RecipeTextLimitsTests {
    func bound(_ text: String) -> Int { RecipeTextLimits.nestingBound(Array(text.utf8)) }

    @Test func theShippedRecipesAreWellWithinTheLimit() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../recipes").standardized.path
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }
        #expect(names.count >= 4)
        for name in names {
            let depth = RecipeTextLimits.nestingBound(try FileIO.read(folder + "/" + name))
            #expect(depth > 0 && depth < RecipeTextLimits.maximumNesting / 2, "\(name): \(depth)")
        }
    }

    @Test func nestingIsNeverUndercounted() {
        #expect(bound("a: [[[[b]]]]") >= 4)
        #expect(bound("a: {b: {c: [d]}}") >= 3)
        #expect(bound("- - - - a") >= 4)
        #expect(bound("a:\n  b:\n    c:\n      d: 1") >= 3)
        // A quote inside a plain scalar opens nothing; a quoted scalar ends at its line's end at the latest.
        #expect(bound("a: it's\nb: [[[[[[x]]]]]]") >= 6)
        #expect(bound("a: [x 'y, [[[[[[z]]]]]]]") >= 7)
        #expect(bound("a: 'unterminated\nb: [[[[[[x]]]]]]") >= 6)
    }

    @Test func quotedAndCommentedBracketsDoNotCount() {
        #expect(bound("a: '[[[[[[[['  # [[[[[[[[") <= 1)
        #expect(bound("a: \"{{{{{{{{\"") <= 1)
    }
}
