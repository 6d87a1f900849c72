import Foundation
import Testing
@testable import DatasetKit

@Suite struct CSVLabelsTests {
    let reader = CSVLabels(idColumn: "image_id", valueColumn: "label")

    func parse(_ text: String, bom: Bool = false, _ reader: CSVLabels? = nil) throws(LabelsError) -> LabelTable {
        try (reader ?? self.reader).parse((bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8), path: "train.csv")
    }

    @Test func readsBOMCRLFQuotesBlankLinesAndExtraColumns() throws {
        let text = "extra,label,image_id\r\n1,Apple,train1\r\n\r\n2,\"Beans, green\",train2\r\n3,\"Say \"\"cheese\"\"\",train3\r\n"
        let table = try parse(text, bom: true)
        #expect(table.rows == [
            LabelRow(id: "train1", value: "Apple", line: 2),
            LabelRow(id: "train2", value: "Beans, green", line: 4),
            LabelRow(id: "train3", value: "Say \"cheese\"", line: 5),
        ])
        #expect(table.failures.isEmpty && table.warnings.isEmpty)
    }

    @Test func customColumnsAndAMissingColumnNamesWhatExists() throws {
        let text = "file,category\na.png,x\n"
        let custom = try parse(text, CSVLabels(idColumn: "file", valueColumn: "category"))
        #expect(custom.rows == [LabelRow(id: "a.png", value: "x", line: 2)])
        do {
            _ = try parse(text)
            Issue.record("expected a missing-column error")
        } catch {
            #expect(error == .missingColumn(path: "train.csv", column: "image_id", role: "ids", available: ["file", "category"]))
            #expect(error.description.contains("'file', 'category'"))
        }
    }

    @Test func repeatedRowsAreUsedOnceAndConflictingIdsLeftOut() throws {
        let table = try parse("image_id,label\na,x\nb,y\na,x\nb,z\nc,w\n")
        #expect(table.rows.map(\.id) == ["a", "c"])
        #expect(table.warnings == [Problem(path: "train.csv:4", reason: "id 'a' repeats line 2 (used once)")])
        #expect(table.failures.count == 1 && table.failures[0].path == "train.csv:5")
        #expect(table.failures[0].reason.contains("'z' here but 'y' on line 3"))
        #expect(table.conflictingIDs == ["b"])
    }

    @Test func shortRowsAndEmptyIdsAreFailures() throws {
        let table = try parse("image_id,label\nonly\n,x\nok,y\n")
        #expect(table.rows.map(\.id) == ["ok"])
        #expect(table.failures.map(\.path) == ["train.csv:2", "train.csv:3"])
        #expect(table.failures[1].reason == "empty 'image_id'")
    }

    @Test func emptyFilesAndBadTextThrow() throws {
        #expect(throws: LabelsError.noHeader(path: "train.csv")) { try parse("\n\n") }
        do {
            _ = try reader.parse(Array("image_id,label\na,".utf8) + [0xFF, 0xFE, 0x41], path: "bad.csv")
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.description.hasPrefix("bad.csv: not valid UTF-8 text"))
        }
        #expect(throws: LabelsError.self) { try reader.read(path: "/nonexistent/train.csv") }
    }
}

@Suite struct ImageLookupTests {
    /// A lookup over empty files (it only needs their names).
    func lookup(_ files: [String]) throws -> ImageLookup {
        let folder = TemporaryFolder()
        for f in files { folder.write("img/" + f, [1]) }
        return ImageLookup(tree: try FileTree(root: folder.path + "/img"))
    }

    @Test func findsByStemExactNameOrGivenExtension() throws {
        let l = try lookup(["a.png", "b.JPG", "c.png", "c.jpg", "sub/d.jpeg", "notes.txt"])
        #expect(l.find(id: "a") == .found("a.png"))
        #expect(l.find(id: "b") == .found("b.JPG"))
        #expect(l.find(id: "b.JPG") == .found("b.JPG"))
        #expect(l.find(id: "sub/d") == .found("sub/d.jpeg"))
        #expect(l.find(id: "c") == .ambiguous(["c.jpg", "c.png"]))
        #expect(l.find(id: "c", fileExtension: "png") == .found("c.png"))
        #expect(l.find(id: "a", fileExtension: "jpg") == .missing)
        #expect(l.find(id: "notes") == .missing)
        #expect(l.find(id: "zzz") == .missing)
    }

    @Test func resolveReportsMissingImagesUnnamedImagesAndSharedImages() throws {
        let l = try lookup(["a.png", "b.png", "c.png", "d.png"])
        let table = try CSVLabels(idColumn: "id", valueColumn: "label")
            .parse(Array("id,label\na,x\nnope,y\na.png,z\nd,1\nd,2\n".utf8), path: "t.csv")
        let resolved = l.resolve(table)
        #expect(resolved.rows.map(\.image) == ["a.png"])
        #expect(resolved.failures.map(\.path) == ["t.csv:6", "t.csv:3", "t.csv:4"])
        #expect(resolved.failures[1].reason.contains("no image nope or nope.* in"))
        #expect(resolved.failures[2].reason.contains("as id 'a' on line 2 does"))
        // d.png is named (by conflicting rows), so only b and c are images without a row.
        #expect(resolved.warnings.map { $0.path.hasSuffix("/b.png") || $0.path.hasSuffix("/c.png") } == [true, true])
    }
}
