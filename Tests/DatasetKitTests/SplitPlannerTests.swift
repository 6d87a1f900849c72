import Foundation
import Testing
@testable import DatasetKit

/// Planning splits: published lists, ratios, validation carving, class subsets, problems.
@Suite struct SplitPlannerTests {
    /// A listing built in memory: `perClass` images per class, none listed.
    func flatListing(_ counts: [(String, Int)]) -> DatasetListing {
        let found = counts.flatMap { c, n in (0..<n).map { LabelledFile(path: "\(c)/\(String(format: "%03d", $0)).jpg", className: c) } }
        return DatasetListing(layout: .folders, imageRoot: "/r", classes: counts.map(\.0).sorted(), lists: [], found: found)
    }

    func food101Listing(format: DatasetTrees.ListFormat = .json) throws -> (TemporaryFolder, DatasetListing) {
        let folder = TemporaryFolder()
        let root = DatasetTrees.food101(in: folder, format: format)
        return (folder, try #require(Food101Layout(locating: root)).listing())
    }

    @Test func publishedListsBecomeThePlanInTheDatasetsOrder() throws {
        for format in [DatasetTrees.ListFormat.json, .text] {
            let (_, listing) = try food101Listing(format: format)
            let plan = try SplitPlanner.plan(listing, settings: SplitSettings())
            #expect(plan.splits == ["train", "test"])
            #expect(plan.classes == ["apple_pie", "cheesecake", "cheese_plate", "pizza"])
            #expect(plan.items.count == 32 && plan.problems.isEmpty)
            #expect(plan.counts["train"]?["cheese_plate"] == 6 && plan.counts["test"]?["pizza"] == 2)
            #expect(plan.items[0] == SplitItem(source: "apple_pie/1000.jpg", split: "train", className: "apple_pie", name: "1000.jpg"))
            #expect(plan.items[0].destination == "train/apple_pie/1000.jpg")
            #expect(plan.items.last?.destination == "test/pizza/1007.jpg")
        }
    }

    @Test func firstNFollowsTheDatasetsOwnOrderNotSorting() throws {
        let (_, listing) = try food101Listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(selection: .first(2)))
        // Sorted, cheese_plate would come second; Food-101's classes.txt puts cheesecake there.
        #expect(plan.classes == ["apple_pie", "cheesecake"])
        #expect(Set(plan.items.map(\.className)) == ["apple_pie", "cheesecake"])
        // Images of the classes left out are not "unlisted".
        #expect(plan.problems.isEmpty)
        #expect(throws: SplitError.notEnoughClasses(requested: 5, available: 4)) {
            try SplitPlanner.plan(listing, settings: SplitSettings(selection: .first(5)))
        }
    }

    @Test func namedClassesKeepTheGivenOrderAndUnknownOnesSuggestNearMatches() throws {
        let (_, listing) = try food101Listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(selection: .named(["pizza", "apple_pie", "pizza"])))
        #expect(plan.classes == ["pizza", "apple_pie"])
        #expect(plan.items.first?.className == "pizza")
        do {
            _ = try SplitPlanner.plan(listing, settings: SplitSettings(selection: .named(["chesecake"])))
            Issue.record("an unknown class must fail")
        } catch {
            guard case let .unknownClass(name, near, available) = error else { Issue.record("\(error)"); return }
            #expect(name == "chesecake" && available == 4)
            #expect(near == ["cheesecake"])
            #expect(error.description.contains("--classes") && error.description.contains("cheesecake"))
        }
        #expect(ClassSelection.nearMatches("Apple-Pie", in: DatasetTrees.foodClasses) == ["apple_pie"])
        #expect(ClassSelection.nearMatches("sushi", in: DatasetTrees.foodClasses).isEmpty)
    }

    @Test func missingUnlistedAndDuplicateFilesAreReported() throws {
        let folder = TemporaryFolder()
        let root = DatasetTrees.food101(in: folder, classes: ["pizza", "ramen"], train: 3, test: 1)
        try FileManager.default.removeItem(atPath: root + "/images/pizza/1001.jpg")
        folder.write("data/food-101/images/pizza/extra.jpg", [9])
        folder.write("data/food-101/meta/test.json",
                     DatasetTrees.bytes(#"{"pizza": ["pizza/1003", "pizza/1000"], "ramen": ["ramen/1003"]}"#))
        let listing = try #require(Food101Layout(locating: root)).listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings())
        let byKind = Dictionary(grouping: plan.problems, by: \.kind)
        #expect(byKind[.missing]?.map(\.path) == [root + "/images/pizza/1001.jpg"])
        #expect(byKind[.missing]?.first?.detail == "listed in meta/train.json but not found")
        #expect(byKind[.unlisted]?.map(\.path) == [root + "/images/pizza/extra.jpg"])
        #expect(byKind[.duplicate]?.map(\.path) == [root + "/images/pizza/1000.jpg"])
        #expect(byKind[.duplicate]?.first?.detail.contains("meta/train.json and again in meta/test.json") == true)
        // The duplicate stays where first listed; the missing file is not planned.
        #expect(plan.items.filter { $0.source == "pizza/1000.jpg" }.map(\.split) == ["train"])
        #expect(plan.items.count == 7 && plan.failures.count == 1 && plan.warnings.count == 2)
    }

    @Test func aFileAlreadyInTheOutputIsNotMissing() throws {
        let folder = TemporaryFolder()
        let root = DatasetTrees.food101(in: folder, classes: ["pizza"], train: 2, test: 1)
        try FileManager.default.removeItem(atPath: root + "/images/pizza/1000.jpg")
        let listing = try #require(Food101Layout(locating: root)).listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(), done: ["train/pizza/1000.jpg"])
        #expect(plan.problems.isEmpty && plan.items.count == 3)
    }

    @Test func ratiosGiveExactCountsByTheDocumentedRounding() throws {
        let r811 = try SplitRatios(parsing: "0.8, 0.1, 0.1")
        #expect(r811.splits == ["train", "val", "test"])
        #expect(r811.counts(for: 100) == [80, 10, 10])
        #expect(r811.counts(for: 10) == [8, 1, 1])
        #expect(r811.counts(for: 5) == [3, 1, 1])   // 4/0.5/0.5 → 4,1,0 → each nonzero split gets one
        #expect(r811.counts(for: 2) == [2, 0, 0])   // too few for three splits: largest remainder only
        #expect(r811.counts(for: 1) == [1, 0, 0])
        #expect(r811.counts(for: 0) == [0, 0, 0])
        let r73 = try SplitRatios(fractions: [0.7, 0.3])
        #expect(r73.counts(for: 10) == [7, 3] && r73.counts(for: 7) == [5, 2] && r73.counts(for: 2) == [1, 1])
        #expect(try SplitRatios(fractions: [0.5, 0.5]).counts(for: 3) == [2, 1])  // ties go to the earlier split
        #expect(try SplitRatios(fractions: [1, 0]).counts(for: 4) == [4, 0])      // a zero split stays empty
        for n in 0..<60 {
            #expect(r811.counts(for: n).reduce(0, +) == n)
            #expect(try SplitRatios(fractions: [0.65, 0.2, 0.15]).counts(for: n).reduce(0, +) == n)
        }
    }

    @Test func badRatiosNameTheFlag() {
        for text in ["0.8,0.3", "0.5", "1,0,0,0", "0.8,x", "1.2,-0.2", "0,1", ""] {
            #expect(throws: SplitError.self, "\(text)") { try SplitRatios(parsing: text) }
        }
        #expect((try? SplitRatios(parsing: "0.8,0.3")) == nil)
        let message = SplitError.badRatios("the fractions sum to 1.1, not 1").description
        #expect(message.hasPrefix("--ratios:") && message.contains("sum"))
    }

    @Test func ratioSplitsAreStratifiedAndDeterministic() throws {
        let listing = flatListing([("cat", 50), ("dog", 20), ("emu", 5), ("fox", 1)])
        let ratios = try SplitRatios(parsing: "0.8,0.1,0.1")
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: ratios, seed: 7))
        #expect(plan.splits == ["train", "val", "test"] && plan.items.count == 76)
        let counts = plan.counts
        #expect([counts["train"]?["cat"], counts["val"]?["cat"], counts["test"]?["cat"]] == [40, 5, 5])
        #expect([counts["train"]?["dog"], counts["val"]?["dog"], counts["test"]?["dog"]] == [16, 2, 2])
        #expect([counts["train"]?["emu"], counts["val"]?["emu"], counts["test"]?["emu"]] == [3, 1, 1])
        #expect(counts["train"]?["fox"] == 1)
        // Every file once; names kept.
        #expect(Set(plan.items.map(\.source)).count == 76)
        #expect(plan.items.allSatisfy { $0.destination == "\($0.split)/\($0.source)" })

        let again = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: ratios, seed: 7))
        #expect(again == plan)
        let other = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: ratios, seed: 8))
        #expect(Set(other.items.filter { $0.split == "test" }.map(\.source)) != Set(plan.items.filter { $0.split == "test" }.map(\.source)))
        // A class's split does not depend on which other classes are taken, nor on listing order.
        let catOnly = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: ratios, seed: 7, selection: .named(["cat"])))
        #expect(catOnly.items == plan.items.filter { $0.className == "cat" })
        var shuffled = listing
        shuffled.found.reverse()
        #expect(try SplitPlanner.plan(shuffled, settings: SplitSettings(ratios: ratios, seed: 7)).items == plan.items)
    }

    @Test func ratiosResplitFood101FromItsPooledLists() throws {
        let (_, listing) = try food101Listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: try SplitRatios(parsing: "0.5,0.5")))
        #expect(plan.splits == ["train", "test"] && plan.items.count == 32)
        #expect(plan.classes.allSatisfy { c in plan.counts["train"]?[c] == 4 && plan.counts["test"]?[c] == 4 })
    }

    @Test func validationIsCarvedFromTrainPerClass() throws {
        let (_, listing) = try food101Listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(validationFraction: 0.25, seed: 3))
        #expect(plan.splits == ["train", "val", "test"])
        for c in plan.classes {
            // round(6 × 0.25) = 2 (1.5 rounds up); test untouched.
            #expect(plan.counts["train"]?[c] == 4 && plan.counts["val"]?[c] == 2 && plan.counts["test"]?[c] == 2)
        }
        #expect(plan.items.filter { $0.split == "val" }.allSatisfy { $0.destination.hasPrefix("val/\($0.className)/") })
        #expect(try SplitPlanner.plan(listing, settings: SplitSettings(validationFraction: 0.25, seed: 3)) == plan)
        let other = try SplitPlanner.plan(listing, settings: SplitSettings(validationFraction: 0.25, seed: 4))
        #expect(other.items.filter { $0.split == "val" } != plan.items.filter { $0.split == "val" })

        #expect(SplitPlanner.validationCount(10, fraction: 0.1) == 1)
        #expect(SplitPlanner.validationCount(10, fraction: 0.01) == 1)   // at least one
        #expect(SplitPlanner.validationCount(3, fraction: 0.9) == 2)     // train keeps one
        #expect(SplitPlanner.validationCount(1, fraction: 0.5) == 0)
        #expect(SplitPlanner.validationCount(20, fraction: 0.125) == 3)  // 2.5 rounds away from zero
    }

    @Test func validationFractionOnAFlatTreeAndItsErrors() throws {
        let listing = flatListing([("a", 10), ("b", 4)])
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(validationFraction: 0.2))
        #expect(plan.splits == ["train", "val"])
        #expect(plan.counts["val"] == ["a": 2, "b": 1] && plan.counts["train"] == ["a": 8, "b": 3])
        #expect(throws: SplitError.needsRatios) { try SplitPlanner.plan(listing, settings: SplitSettings()) }
        let threeWay = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: try SplitRatios(parsing: "0.6,0.2,0.2")))
        #expect(throws: SplitError.validationExists("val")) { try SplitPlanner.carvingValidation(threeWay, fraction: 0.1, seed: 1) }
        #expect(throws: SplitError.badValidationFraction(1)) { try SplitPlanner.carvingValidation(threeWay, fraction: 1, seed: 1) }
        let noTrain = SplitPlan(splits: ["test"], classes: ["a"], items: [], problems: [])
        #expect(throws: SplitError.noTrainSplit) { try SplitPlanner.carvingValidation(noTrain, fraction: 0.1, seed: 1) }
    }

    @Test func recipes5kKeepsItsValidationSplit() throws {
        let folder = TemporaryFolder()
        let listing = try #require(Recipes5kLayout(locating: DatasetTrees.recipes5k(in: folder))).listing()
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings())
        #expect(plan.splits == ["train", "val", "test"] && plan.classes == ["ramen", "pizza", "apple_pie"])
        #expect(plan.counts["val"] == ["ramen": 2, "pizza": 2, "apple_pie": 2])
        #expect(throws: SplitError.validationExists("val")) {
            try SplitPlanner.plan(listing, settings: SplitSettings(validationFraction: 0.1))
        }
    }

    @Test func sameNamesFromTwoFoldersAreNumberedNotOverwritten() throws {
        let files = [LabelledFile(path: "train/cat/1.jpg", className: "cat", name: "1.jpg"),
                     LabelledFile(path: "test/cat/1.jpg", className: "cat", name: "1.jpg")]
        let listing = DatasetListing(layout: .folders, imageRoot: "/r", classes: ["cat"],
                                     lists: [SplitList(split: "train", origin: "train/", files: [files[0]]),
                                             SplitList(split: "test", origin: "test/", files: [files[1]])],
                                     found: files)
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(ratios: try SplitRatios(fractions: [1, 0])))
        #expect(plan.items.map(\.destination) == ["train/cat/1.jpg", "train/cat/1_2.jpg"])
        #expect(plan.problems.map(\.kind) == [.renamed])
    }

    @Test func seededShuffleIsAPermutationAndStable() {
        var a = Array(0..<100), b = a
        var g1 = SeededGenerator(seed: 5, item: "x"), g2 = SeededGenerator(seed: 5, item: "x")
        a.seededShuffle(using: &g1)
        b.seededShuffle(using: &g2)
        #expect(a == b && a != Array(0..<100) && a.sorted() == Array(0..<100))
        var g = SeededGenerator(seed: 1)
        #expect((0..<1000).allSatisfy { _ in (0..<7).contains(g.below(7)) })
    }
}
