import Foundation
import Testing
@testable import DatasetKit

/// Reading the dataset layouts `split` understands.
@Suite struct SplitLayoutTests {
    @Test func lineListsIgnoreCRLFBlankLinesWhitespaceAndBOM() {
        let bytes = Array("\u{FEFF} apple_pie \r\ncheesecake\r\n\r\n\tpizza\n\n".utf8)
        #expect(LineList.parse(bytes) == ["apple_pie", "cheesecake", "pizza"])
        #expect(LineList.parse([]) == [])
    }

    @Test func food101FromJSONKeepsTheDatasetsClassOrder() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        let layout = try #require(Food101Layout(locating: folder.path + "/data"))
        #expect(layout.root == folder.path + "/data/food-101")
        // classes.txt order, not sorted: cheesecake before cheese_plate.
        #expect(try layout.classes() == ["apple_pie", "cheesecake", "cheese_plate", "pizza"])
        let train = try layout.list(split: "train", order: try layout.classes())
        #expect(train.origin == "meta/train.json" && train.files.count == 24)
        #expect(train.files.first == LabelledFile(path: "apple_pie/1000.jpg", className: "apple_pie"))
        #expect(train.files.first?.name == "1000.jpg")
        let listing = try layout.listing()
        #expect(listing.layout == .food101 && listing.imageRoot == layout.imagesFolder)
        #expect(listing.lists.map(\.split) == ["train", "test"] && listing.found.count == 32)
        #expect(listing.problems.isEmpty)
    }

    @Test func food101FromTextListsAndRootGivenEitherWay() throws {
        let folder = TemporaryFolder()
        let root = DatasetTrees.food101(in: folder, format: .text)
        let fromParent = try #require(Food101Layout(locating: folder.path + "/data/"))
        let fromItself = try #require(Food101Layout(locating: root))
        #expect(fromParent.root == fromItself.root)
        let test = try fromItself.list(split: "test")
        #expect(test.origin == "meta/test.txt" && test.files.count == 8)
        #expect(test.files.map(\.className) == ["apple_pie", "apple_pie", "cheesecake", "cheesecake",
                                                "cheese_plate", "cheese_plate", "pizza", "pizza"])
        #expect(Food101Layout(locating: folder.path) == nil)
    }

    @Test func food101ReportsBadMetaFiles() throws {
        let folder = TemporaryFolder()
        let root = DatasetTrees.food101(in: folder)
        folder.write("data/food-101/meta/test.json", DatasetTrees.bytes("[1, 2]"))
        let layout = try #require(Food101Layout(locating: root))
        #expect(throws: LayoutError.self) { try layout.listing() }
        try FileManager.default.removeItem(atPath: root + "/meta/test.json")
        do {
            _ = try layout.listing()
            Issue.record("a missing test list must fail")
        } catch {
            #expect(error.path.hasSuffix("meta/test.json") && error.reason.contains("missing"))
        }
    }

    @Test func food101EntriesLeavingTheImageFolderAreRefused() throws {
        let folder = TemporaryFolder()
        let root = DatasetTrees.food101(in: folder, classes: ["pizza"], train: 1, test: 1)
        folder.write("data/food-101/meta/train.json",
                     DatasetTrees.bytes(#"{"pizza": ["pizza/1000", "../../secret", "/etc/passwd"]}"#))
        let listing = try #require(Food101Layout(locating: root)).listing()
        #expect(listing.lists[0].files.map(\.path) == ["pizza/1000.jpg"])
        #expect(listing.problems.map(\.kind) == [.invalidEntry, .invalidEntry])
        #expect(!DatasetListing.isContained("a/../b") && !DatasetListing.isContained("a//b") && DatasetListing.isContained("a/b.jpg"))
    }

    @Test func recipes5kListsItsThreeSplitsAndClassOrder() throws {
        let folder = TemporaryFolder()
        let root = DatasetTrees.recipes5k(in: folder)
        let layout = try #require(Recipes5kLayout(locating: folder.path + "/data"))
        #expect(layout.root == root)
        #expect(layout.availableSplits() == ["train", "val", "test"])
        #expect(try layout.images(split: "val") == ["apple_pie/2_apple_pie_hostedLargeUrl.jpg", "apple_pie/6_apple_pie_hostedLargeUrl.jpg",
                                                     "pizza/2_pizza_hostedLargeUrl.jpg", "pizza/6_pizza_hostedLargeUrl.jpg",
                                                     "ramen/2_ramen_hostedLargeUrl.jpg", "ramen/6_ramen_hostedLargeUrl.jpg"])
        // First appearance in classes_Recipes5k.txt (written reversed), duplicates dropped.
        #expect(try layout.classes() == ["ramen", "pizza", "apple_pie"])
        #expect(Recipes5kLayout.className(ofImage: "pizza/1_pizza_hostedLargeUrl.jpg") == "pizza")
        let listing = try layout.listing()
        #expect(listing.lists.map { $0.files.count } == [12, 6, 6] && listing.found.count == 24)
    }

    @Test func classFoldersFlatOrAlreadySplit() throws {
        let folder = TemporaryFolder()
        let flat = DatasetTrees.classFolders(in: folder, counts: ["tulip": 2, "daisy": 3, "Rose": 1])
        folder.write("flowers/readme.jpg", [1])
        folder.write("flowers/notes.txt", [1])
        let tree = try DatasetLayout(root: flat)
        #expect(tree.shape == .classes)
        let listing = try DatasetListing(folders: tree)
        #expect(listing.classes == ["Rose", "daisy", "tulip"])  // byte order, as Keras sorts
        #expect(listing.lists.isEmpty && listing.found.count == 6)
        #expect(listing.problems.map(\.kind) == [.outsideClassFolder])

        folder.write("pre/train/cat/1.jpg", [1])
        folder.write("pre/train/dog/2.jpg", [2])
        folder.write("pre/test/cat/3.jpg", [3])
        let split = try DatasetLayout(root: folder.path + "/pre")
        #expect(split.shape == .splits)
        let lists = try DatasetListing(folders: split).lists
        #expect(lists.map(\.split) == ["train", "test"])
        #expect(lists[0].files == [LabelledFile(path: "train/cat/1.jpg", className: "cat", name: "1.jpg"),
                                   LabelledFile(path: "train/dog/2.jpg", className: "dog", name: "2.jpg")])
    }

    @Test func fruits360TrainingAndTestFoldersAreTheTrainAndTestSplits() throws {
        let folder = TemporaryFolder()
        folder.write("fruits/Training/Apple Braeburn/0_100.jpg", [1])
        folder.write("fruits/Training/Banana/1_100.jpg", [2])
        folder.write("fruits/Test/Banana/2_100.jpg", [3])
        folder.write("fruits/test-multiple_fruits/apples_bananas.jpg", [4])   // loose images beside the splits
        let tree = try DatasetLayout(root: folder.path + "/fruits")
        #expect(tree.shape == .splits)
        let listing = try DatasetListing(folders: tree)
        #expect(listing.lists.map(\.split) == ["train", "test"])
        #expect(listing.lists.map(\.origin) == ["Training/", "Test/"])
        #expect(listing.lists[0].files == [LabelledFile(path: "Training/Apple Braeburn/0_100.jpg", className: "Apple Braeburn", name: "0_100.jpg"),
                                           LabelledFile(path: "Training/Banana/1_100.jpg", className: "Banana", name: "1_100.jpg")])
        #expect(listing.classes == ["Apple Braeburn", "Banana"])
        #expect(listing.problems.map(\.kind) == [.outsideClassFolder])
        #expect(SplitName.canonical("Validation") == "val" && SplitName.canonical("Testing") == "test")
        #expect(SplitName.canonical("papers") == nil)

        folder.write("mixed/Training/a/1.jpg", [1])
        folder.write("mixed/extra/b/2.jpg", [2])                                // a class folder tree after all
        #expect(try DatasetLayout(root: folder.path + "/mixed").shape == .classes)
    }

    @Test func layoutIsDetectedFromWhatIsThere() {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder, parent: "a")
        DatasetTrees.recipes5k(in: folder, parent: "b")
        DatasetTrees.classFolders(in: folder, root: "c", counts: ["x": 1])
        #expect(LayoutKind.detect(folder.path + "/a") == .food101)
        #expect(LayoutKind.detect(folder.path + "/a/food-101") == .food101)
        #expect(LayoutKind.detect(folder.path + "/b") == .recipes5k)
        #expect(LayoutKind.detect(folder.path + "/c") == .folders)
        #expect(throws: LayoutError.self) { try LayoutKind.food101.listing(root: folder.path + "/c") }
    }
}
