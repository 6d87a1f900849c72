import Foundation
import Testing
@testable import DatasetKit

/// A stray quote in a labels CSV must not silently turn the rest of the file into one label.
@Suite struct LabelsDamagedCSVTests {
    let reader = CSVLabels(idColumn: "image_id", valueColumn: "label")

    func parse(_ text: String) throws(LabelsError) -> LabelTable {
        try reader.parse(Array(text.utf8), path: "train.csv")
    }

    @Test func anUnclosedQuoteRefusesTheFileNamingItsLine() throws {
        let text = "image_id,label\na,apple\nb,\"beans\nc,corn\nd,dates\n"
        do {
            _ = try parse(text)
            Issue.record("a CSV with an unclosed quote was read")
        } catch {
            guard case .malformed(let path, let line, let reason) = error else { Issue.record("\(error)"); return }
            #expect(path == "train.csv" && line == 3)
            #expect(reason.contains("never closed"))
            #expect(error.description.hasPrefix("train.csv:3: a quoted field opens on this line"))
        }
        for (text, line) in [("image_id,label\n\"a,apple\n", 2), ("image_id,label\r\na,x\r\nb,\"y\"z\r\n", 3), ("\"image_id,label\n", 1)] {
            #expect(CSVDocument.unclosedQuoteLine(text) == line, "\(text.debugDescription)")
        }
    }

    @Test func validQuotingIsNotMistakenForAnUnclosedQuote() throws {
        let fine = ["a,\"b, c\"\n", "a,\"multi\nline\"\n", "a,\"say \"\"hi\"\"\"\r\n", "a,\"x\"  ,y\n", "a,5\" bolt\n",
                    "\u{FEFF}\"a\",b\n", "a,\"\"\n", "  \"a\"  \n", "a,\"b\""]
        for text in fine { #expect(CSVDocument.unclosedQuoteLine(text) == nil, "\(text.debugDescription)") }
    }

    /// Two stray quotes close each other and join the rows between them into one label: that
    /// row is refused, and the rows after it keep their real line numbers.
    @Test func aLabelJoinedOverLinesIsRefusedAndLaterLinesStayRight() throws {
        let table = try parse("image_id,label\na,apple\nb,\"beans\nc,corn\nd,dates\"\ne,eggs\n")
        #expect(table.rows == [LabelRow(id: "a", value: "apple", line: 2), LabelRow(id: "e", value: "eggs", line: 6)])
        #expect(table.failures.count == 1)
        #expect(table.failures.first?.path == "train.csv:3")
        #expect(table.failures.first?.reason.contains("lines 3-5") == true)
        // A tag list may legitimately hold one tag per line.
        let tags = try CSVLabels(idColumn: "image_id", valueColumn: "tags", valueRole: "tags")
            .parse(Array("image_id,tags\na,\"x\ny\"\nb,z\n".utf8), path: "t.csv")
        #expect(tags.rows.map(\.line) == [2, 4] && tags.failures.isEmpty)
    }
}

/// Every labels CSV reader names the line a record starts on, also after a quoted field that
/// runs over several lines (they used to count records, not lines).
@Suite struct CSVLineNumberTests {
    @Test func startLinesCountLineBreaksInsideQuotedFields() {
        #expect(CSVDocument.startLines([["a"], ["b\nc", "d\r\ne"], [""], ["f\rg"], ["h"]]) == [1, 2, 5, 6, 8])
    }

    @Test func matrixAndMappingErrorsNameTheRealLine() {
        let matrix = Array("filename,x\n\"multi\nline.jpg\",1\nb.jpg,2\n".utf8)
        #expect(throws: LabelsError.malformed(path: "labels.csv", line: 4, reason: "'2' in column 'x' (expected 0 or 1)")) {
            _ = try MultiHotMatrix(csv: matrix, path: "labels.csv")
        }
        let mapping = Array("ingredient,label\n\"sea\nsalt\",fats\na,b,c\n".utf8)
        #expect(throws: LabelsError.malformed(path: "m.csv", line: 4, reason: "3 fields, expected 'ingredient,label'")) {
            _ = try IngredientMapping.parse(mapping, path: "m.csv")
        }
    }
}
