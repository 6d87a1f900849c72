import Foundation
import Testing
@testable import DatasetKit

@Suite struct DatasetRecognizerTests {
    @Test func recognisesFood101AfterUnpacking() {
        let folder = TemporaryFolder()
        let entries = ArchiveFixtures.food101(classes: ["apple_pie", "baby_back_ribs", "cheesecake"], perClass: 4)
        let archive = ArchiveFixtures.write(entries, format: .tarGz, to: folder.path + "/food-101.tar.gz")
        let summary = unpack(archive, to: folder.path + "/data")
        let found = summary.dataset
        #expect(found?.layout == .food101)
        #expect(found?.root == folder.path + "/data/food-101")
        #expect(found?.classes == 3 && found?.images == 12)
        #expect(found?.extras == ["classes.txt", "test.json", "train.json"])
        #expect(found?.description == "Food-101 in \(folder.path)/data/food-101: 3 classes, 12 images; meta: classes.txt, test.json, train.json")
    }

    @Test func recognisesRecipes5kFromAZip() {
        let folder = TemporaryFolder()
        let entries = ArchiveFixtures.recipes5k(classes: ["bread", "curry", "pizza", "ramen"], perClass: 2)
        let archive = ArchiveFixtures.write(entries, format: .zip, to: folder.path + "/Recipes5k.zip")
        let found = unpack(archive, to: folder.path + "/data").dataset
        #expect(found?.layout == .recipes5k && found?.classes == 4 && found?.images == 8)
        #expect(found?.extras.contains("classes_Recipes5k.txt") == true)
        #expect(found?.description.hasPrefix("Recipes5k in ") == true)
    }

    @Test func recognisesClassFoldersAndSplits() {
        let folder = TemporaryFolder()
        for name in ["cat/1.jpg", "cat/2.png", "dog/3.jpg", "README.txt"] { folder.write("plain/pets/" + name, [1]) }
        let plain = DatasetRecognizer.recognize(folder.path + "/plain")
        #expect(plain?.layout == .classFolders && plain?.classes == 2 && plain?.images == 3)
        #expect(plain?.root == folder.path + "/plain/pets")

        for name in ["train/cat/1.jpg", "train/dog/2.jpg", "test/cat/3.jpg", "val/bird/4.jpg"] { folder.write("split/" + name, [1]) }
        let split = DatasetRecognizer.recognize(folder.path + "/split")
        #expect(split?.layout == .splitClassFolders && split?.classes == 3 && split?.images == 4)
        #expect(split?.extras == ["train", "val", "test"])
    }

    @Test func saysNothingAboutOtherTrees() {
        let folder = TemporaryFolder()
        folder.write("loose/a.jpg", [1])
        folder.write("loose/b.txt", [1])
        folder.write("one/only/x.jpg", [1])
        #expect(DatasetRecognizer.recognize(folder.path + "/loose") == nil)
        #expect(DatasetRecognizer.recognize(folder.path + "/one") == nil)
        #expect(DatasetRecognizer.recognize(folder.path + "/missing") == nil)
    }
}
