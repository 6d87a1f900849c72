import Testing
@testable import DatasetKit

@Suite struct MultiHotMatrixTests {
    @Test func csvTextIsExactAndQuotesNamesThatNeedIt() {
        let matrix = MultiHotMatrix(classes: ["soups", "mac, cheese", "say \"hi\""], rows: [
            .init(filename: "a.jpg", labels: ["say \"hi\"", "soups", "soups"]),
            .init(filename: "b,c.jpg", labels: []),
            .init(filename: "d.jpg", labels: ["mac, cheese"]),
        ])
        #expect(matrix.rows[0].labels == ["soups", "say \"hi\""])
        #expect(matrix.csvText == "filename,soups,\"mac, cheese\",\"say \"\"hi\"\"\"\n"
                + "a.jpg,1,0,1\n" + "\"b,c.jpg\",0,0,0\n" + "d.jpg,0,1,0\n")
        #expect(matrix.classCounts == [1, 1, 1])
    }

    @Test func readsItsOwnTextBack() throws {
        let matrix = MultiHotMatrix(classes: ["x", "y,z"], rows: [.init(filename: "1.jpg", labels: ["y,z"]), .init(filename: "2.jpg", labels: ["x", "y,z"])])
        #expect(try MultiHotMatrix(csv: Array(matrix.csvText.utf8), path: "labels.csv") == matrix)
        let crlf = try MultiHotMatrix(csv: Array("\u{FEFF}file,a,b\r\n1.jpg,1,0\r\n\r\n".utf8), path: "m.csv")
        #expect(crlf == MultiHotMatrix(classes: ["a", "b"], rows: [.init(filename: "1.jpg", labels: ["a"])]))
    }

    @Test(arguments: [
        ("filename,a,b\n1.jpg,1,2\n", "'2' in column 'b'"),
        ("filename,a,b\n1.jpg,1\n", "2 fields, expected 3"),
        ("filename,a,b\n1.jpg,1,0\n1.jpg,0,1\n", "listed twice"),
        ("filename,a,a\n", "named twice"),
        ("filename,a,\n", "empty class name"),
    ])
    func rejectsMalformedMatrices(text: String, message: String) {
        do {
            _ = try MultiHotMatrix(csv: Array(text.utf8), path: "m.csv")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}

@Suite struct MultiHotBuilderTests {
    func item(_ name: String, _ tags: [String]) -> TaggedItem { TaggedItem(name: name, tags: tags, origin: "t.csv:\(name)") }

    @Test func splitsTagCellsOnBlanksOrASeparator() {
        #expect(TaggedItem.splitTags("  clear  primary\tagriculture ", separator: " ") == ["clear", "primary", "agriculture"])
        #expect(TaggedItem.splitTags("red wine; cheese;;  bread ;", separator: ";") == ["red wine", "cheese", "bread"])
        #expect(TaggedItem.splitTags("a|b", separator: "|") == ["a", "b"])
        #expect(TaggedItem.splitTags("a, b\r\nc", separator: ",") == ["a", "b", "c"])
        #expect(TaggedItem.splitTags("a::b::", separator: "::") == ["a", "b"])
        #expect(TaggedItem.splitTags("   ", separator: " ").isEmpty)
    }

    @Test func repeatsCountOnceAndClassesAreSortedByDefault() {
        let (matrix, report) = MultiHotBuilder().build([item("1", ["b", "a", "b", "b"]), item("2", ["c"])])
        #expect(matrix.classes == ["a", "b", "c"])
        #expect(matrix.rows == [.init(filename: "1", labels: ["a", "b"]), .init(filename: "2", labels: ["c"])])
        #expect(report.repeatedTags == [.init(item: "1", origin: "t.csv:1", tags: ["b"])])
        #expect(report.warnings(source: "t.csv") == [Problem(path: "t.csv:1", reason: "1: repeated tag 'b' (counted once)")])
    }

    @Test func unknownTagsAreDroppedAndGivenOrderKept() {
        let builder = MultiHotBuilder(classes: ["z", "a", "unused"])
        let (matrix, report) = builder.build([item("1", ["a", "q", "z"]), item("2", ["q", "r"]), item("3", ["q"])])
        #expect(matrix.classes == ["z", "a", "unused"])
        #expect(matrix.rows == [.init(filename: "1", labels: ["z", "a"])])
        #expect(report.unknownTags == [.init(name: "q", count: 3), .init(name: "r", count: 1)])
        #expect(report.untagged.map(\.reason) == [.onlyUnknown, .onlyUnknown])
    }

    @Test func minCountPrunesRareLabelsAndEmptiesAreSkippedOrKept() {
        let items = [item("1", ["common", "rare"]), item("2", ["common"]), item("3", ["rare2"]), item("4", [])]
        let (matrix, report) = MultiHotBuilder(minCount: 2).build(items)
        #expect(matrix.classes == ["common"])
        #expect(matrix.rows.map(\.filename) == ["1", "2"])
        #expect(report.prunedLabels == [.init(name: "rare", count: 1), .init(name: "rare2", count: 1)])
        #expect(report.untagged.map(\.reason) == [.onlyRare, .noTags])
        let warnings = report.warnings(source: "t.csv").map(\.reason)
        #expect(warnings.contains("label 'rare' on 1 image, under --min-count 2: dropped"))
        #expect(warnings.contains("4: no tags: skipped (--keep-empty keeps it)"))

        let kept = MultiHotBuilder(minCount: 2, keepEmpty: true).build(items).matrix
        #expect(kept.rows.map(\.filename) == ["1", "2", "3", "4"])
        #expect(kept.rows[3].labels.isEmpty && kept.vector(kept.rows[3]) == [0])
    }

    @Test func preferredOrderComesFirstThenTheRestSorted() {
        let builder = MultiHotBuilder(preferredOrder: ["soups", "mains", "appetizer"])
        let matrix = builder.build([item("1", ["zeta", "mains", "alpha", "soups"])]).matrix
        #expect(matrix.classes == ["soups", "mains", "alpha", "zeta"])
    }

    @Test func givenClassesNobodyCarriesArePrunedOnlyAboveMinCountOne() {
        let items = [item("1", ["a"]), item("2", ["a"])]
        #expect(MultiHotBuilder(classes: ["a", "b"]).build(items).matrix.classes == ["a", "b"])
        let (matrix, report) = MultiHotBuilder(classes: ["a", "b"], minCount: 2).build(items)
        #expect(matrix.classes == ["a"] && report.prunedLabels == [.init(name: "b", count: 0)])
    }
}

@Suite struct MultiHotEmptyReasonTests {
    func item(_ name: String, _ tags: [String]) -> TaggedItem { TaggedItem(name: name, tags: tags, origin: "t.csv") }

    @Test func saysWhyNothingIsLeft() {
        let items = [item("1", ["a", "b"]), item("2", ["b"])]
        let (pruned, report) = MultiHotBuilder(minCount: 5).build(items)
        #expect(report.emptyReason(pruned) == "every label is on fewer than --min-count 5 images (the most common, 'b', is on 2 images): lower --min-count")
        let (unknown, unknownReport) = MultiHotBuilder(classes: ["z"], minCount: 2).build(items)
        #expect(unknown.classes.isEmpty && unknownReport.emptyReason(unknown)?.contains("--min-count 2") == true)
        let (listed, listedReport) = MultiHotBuilder(classes: ["z"]).build(items)
        #expect(listedReport.emptyReason(listed)?.hasPrefix("every image is left with no label") == true)
        let (untagged, untaggedReport) = MultiHotBuilder().build([item("1", [])])
        #expect(untaggedReport.emptyReason(untagged) == "no image has a tag")
        let (fine, fineReport) = MultiHotBuilder(minCount: 2).build(items)
        #expect(fineReport.emptyReason(fine) == nil)
        let (none, noneReport) = MultiHotBuilder().build([])
        #expect(noneReport.emptyReason(none) == nil)
    }
}
