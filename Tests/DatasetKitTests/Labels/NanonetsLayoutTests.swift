import Foundation
import Testing
@testable import DatasetKit

@Suite struct NanonetsLayoutTests {
    @Test func stemsAreFlatAndDistinctWhateverTheOrder() {
        let sources = ["soup/1_a.jpg", "tacos/1_a.jpg", "cake/0_b.jpg", "c.png", "c.jpg", "x.jpg"]
        let stems = NanonetsLayout.uniqueStems(sources)
        #expect(stems.map(\.stem) == ["soup__1_a", "tacos__1_a", "0_b", "c_png", "c_jpg", "x"])
        #expect(stems.map(\.renamed) == [true, true, false, true, true, false])
        let reversed = NanonetsLayout.uniqueStems(sources.reversed())
        #expect(reversed.map(\.stem) == stems.map(\.stem).reversed())
    }

    @Test func readsBackWhatIsThereAndReportsWhatDoesNotPair() throws {
        let folder = TemporaryFolder()
        for name in ["a.jpg", "b.jpg", "c.jpg", "lonely.jpg"] { folder.write("n/ImageSets/" + name, [1]) }
        folder.write("n/Annotations/a.txt", Array("meat\r\nsoups\r\n\r\nmeat\r\n".utf8))
        folder.write("n/Annotations/b.txt", [])
        folder.write("n/Annotations/c.txt", Array("extra\nsoups\n".utf8))
        folder.write("n/Annotations/orphan.txt", Array("soups\n".utf8))
        folder.write("n/classes.txt", Array("soups\nmeat\nunused\n".utf8))
        let contents = try NanonetsLayout(root: folder.path + "/n").read()
        #expect(contents.matrix == MultiHotMatrix(classes: ["soups", "meat", "unused", "extra"], rows: [
            .init(filename: "a.jpg", labels: ["soups", "meat"]),
            .init(filename: "b.jpg", labels: []),
            .init(filename: "c.jpg", labels: ["soups", "extra"]),
        ]))
        #expect(contents.failures.map { $0.path.replacingOccurrences(of: folder.path, with: "") }
                == ["/n/ImageSets/lonely.jpg", "/n/Annotations/orphan.txt"])
        #expect(contents.warnings.map(\.reason) == [
            "repeated label 'meat' (counted once)",
            "label 'extra' (1 image) is not listed: added after the listed classes",
        ])
    }

    @Test func withoutClassesTxtTheClassesAreSorted() throws {
        let folder = TemporaryFolder()
        folder.write("n/ImageSets/1.png", [1])
        folder.write("n/Annotations/1.txt", Array("b\na\n".utf8))
        let contents = try NanonetsLayout(root: folder.path + "/n").read()
        #expect(contents.matrix.classes == ["a", "b"] && contents.failures.isEmpty && contents.warnings.isEmpty)
    }
}
