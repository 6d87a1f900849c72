import Foundation
import Testing
@testable import DatasetKit

/// One reading of a dataset tree for every command (`DatasetLayout`, `SplitName`).
@Suite struct DatasetLayoutTests {
    /// `food/{baklava,churros,donuts}/` with 10 images each, and one more in a stray subfolder
    /// `baklava/old/`: 31 images. Real JPEGs when `jpegs`, else a few bytes (nothing decodes them).
    static func strayTree(in folder: TemporaryFolder, under name: String = "food", jpegs: Bool = false) -> String {
        let bytes = { (i: Int) in jpegs ? PackFixtures.jpeg(PackFixtures.picture(i, width: 12, height: 10)) : [UInt8(i)] }
        for (k, c) in ["baklava", "churros", "donuts"].enumerated() {
            for i in 0..<10 { folder.write("\(name)/\(c)/\(i).jpg", bytes(k * 10 + i)) }
        }
        folder.write("\(name)/baklava/old/x.jpg", bytes(99))
        return folder.path + "/" + name
    }

    /// fruits-360's shape: `Training/` and `Test/` class folders, loose images beside them.
    static func fruitsTree(in folder: TemporaryFolder) -> String {
        for (i, path) in ["Training/Apple/1.jpg", "Training/Apple/2.jpg", "Training/Banana/3.jpg", "Test/Apple/4.jpg",
                          "Test/Banana/5.jpg", "test-multiple_fruits/apple_banana.jpg"].enumerated() {
            folder.write("fruits/" + path, [UInt8(i)])
        }
        return folder.path + "/fruits"
    }

    @Test func aStraySubfolderIsCountedInItsClassAndReported() throws {
        let folder = TemporaryFolder()
        let root = Self.strayTree(in: folder)
        let input = try PackInput.read(root: root)
        #expect(input.splits.map(\.name) == ["train"] && input.itemCount == 31)
        #expect(input.classes == ["baklava", "churros", "donuts"])
        #expect(input.warnings.map(\.path) == [root + "/baklava/old/x.jpg"])
        #expect(input.warnings.first?.reason.contains("subfolder 'old' of class folder 'baklava'") == true)
        #expect(input.failures.isEmpty)
    }

    @Test func fruits360TrainingAndTestArePackedAsTrainAndTest() throws {
        let folder = TemporaryFolder()
        let input = try PackInput.read(root: Self.fruitsTree(in: folder))
        #expect(input.splits.map(\.name) == ["test", "train"])
        #expect(input.splits.map(\.items.count) == [2, 3] && input.classes == ["Apple", "Banana"])
        #expect(input.warnings.map(\.path) == [folder.path + "/fruits/test-multiple_fruits/apple_banana.jpg"])
        #expect(input.warnings.first?.reason.contains("'test-multiple_fruits/' is not a split folder") == true)
    }

    @Test func oneSplitNameTable() {
        for (folder, split) in [("train", "train"), ("Training", "train"), ("VAL", "val"), ("valid", "val"), ("Validation", "val"),
                                ("test", "test"), ("Testing", "test")] {
            #expect(SplitName.canonical(folder) == split, "\(folder)")
        }
        for other in ["papers", "trainer", "dev", "eval", ""] { #expect(SplitName.canonical(other) == nil, "\(other)") }
        #expect(SplitName.first(.val, in: ["train", "valid", "test"]) == "valid")
        #expect(SplitName.resolve("train", in: ["Test", "Training"]) == "Training")
        #expect(SplitName.resolve("test", in: ["test", "Testing"]) == "test")
        #expect(SplitName.resolve("holdout", in: ["train"]) == "holdout")
    }

    /// Every reader sees each tree the same way: which splits (as `SplitName` writes them),
    /// which classes, how many images in class folders.
    @Test func everyReaderSeesTheSameTree() throws {
        let folder = TemporaryFolder()
        struct Case { var root: String; var splits: [String]; var classes: [String]; var images: Int }
        // A class named like a split, holding a subfolder, in a tree of classes.
        for path in ["cat/1.jpg", "cat/2.jpg", "dog/3.jpg", "dog/4.jpg", "test/5.jpg", "test/old/6.jpg"] { folder.write("named/" + path, [1]) }
        // A split tree with a stray subfolder in a class and a stray top folder of classes.
        for path in ["Train/cat/1.jpg", "Train/cat/sub/2.jpg", "train/dog/3.jpg", "Validation/cat/4.jpg", "TEST/dog/5.jpg",
                     "extra/cat/6.jpg"] { folder.write("mixed/" + path, [1]) }
        let cases = [
            Case(root: Self.strayTree(in: folder), splits: [], classes: ["baklava", "churros", "donuts"], images: 31),
            Case(root: Self.fruitsTree(in: folder), splits: ["train", "test"], classes: ["Apple", "Banana"], images: 5),
            Case(root: folder.path + "/named", splits: [], classes: ["cat", "dog", "test"], images: 6),
            Case(root: folder.path + "/mixed", splits: ["train", "val", "test"], classes: ["cat", "dog"], images: 5),
        ]
        for c in cases {
            let layout = try DatasetLayout(root: c.root)
            #expect(layout.splits.map(\.name) == c.splits && layout.classes == c.classes && layout.files.count == c.images, "\(c.root)")

            let pack = try PackInput.read(root: c.root)
            let packSplits = c.splits.isEmpty ? ["train"] : c.splits
            #expect(Set(pack.splits.map(\.name)) == Set(packSplits) && pack.classes == c.classes && pack.itemCount == c.images, "\(c.root)")

            let listing = try LayoutKind.folders.listing(root: c.root)
            #expect(listing.lists.map(\.split) == c.splits && listing.classes == c.classes && listing.found.count == c.images, "\(c.root)")

            let augment = try AugmentInput.classFolders(root: c.root)
            let inClasses = augment.items.filter { item in layout.files.contains { $0.path == item.source } }
            let groups = Set(inClasses.compactMap { $0.group?.split(separator: "/").last.map(String.init) })
            #expect(inClasses.count == c.images && groups == Set(c.classes), "\(c.root)")

            let recognized = try #require(DatasetRecognizer.recognize(c.root))
            #expect(recognized.layout == (c.splits.isEmpty ? .classFolders : .splitClassFolders), "\(c.root)")
            #expect(recognized.classes == c.classes.count && recognized.images == c.images, "\(c.root)")
            #expect(recognized.extras == c.splits, "\(c.root)")
        }
    }

    @Test func nanonetsNeedsBothImageSetsAndAnnotations() throws {
        let folder = TemporaryFolder()
        folder.write("only/ImageSets/a.jpg", [1])
        folder.write("only/ImageSets/b.jpg", [2])
        folder.write("only/other/c.jpg", [3])
        #expect(try DatasetLayout(root: folder.path + "/only").shape == .classes)
        #expect(try PackInput.read(root: folder.path + "/only").isMultiLabel == false)
        #expect(!DatasetLayout.isNanonets(folder.path + "/only"))

        folder.write("both/ImageSets/a.jpg", [1])
        folder.write("both/Annotations/a.txt", Array("cat\n".utf8))
        folder.write("split/Training/ImageSets/a.jpg", [1])
        folder.write("split/Training/Annotations/a.txt", Array("cat\n".utf8))
        folder.write("split/Test/ImageSets/b.jpg", [1])
        folder.write("split/Test/Annotations/b.txt", Array("dog\n".utf8))
        #expect(try DatasetLayout(root: folder.path + "/both").shape == .multiLabel)
        let input = try PackInput.read(root: folder.path + "/split")
        #expect(input.isMultiLabel && input.splits.map(\.name) == ["test", "train"])
    }
}
