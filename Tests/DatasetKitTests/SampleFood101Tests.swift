import Foundation
import Testing
@testable import DatasetKit

@Suite struct SampleFood101Tests {
    static let layout = SampleFood101(classes: 18, perClass: 8, seed: 3, style: SampleFixture.tiny)

    @Test func writesTheRealArchiveLayout() throws {
        let (folder, report) = try SampleFixture.write(Self.layout)
        let path = folder.path + "/food-101.tar.gz"
        #expect(report.output == path && report.images == 144)
        #expect(folder.files() == ["food-101.tar.gz"])
        let members = try ArchiveContents.read(path)
        #expect(members.allSatisfy { $0.path.hasPrefix("food-101/") })
        #expect(members.map(\.path) == members.map(\.path).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(members.allSatisfy { $0.uid == 0 && $0.mtime == ArchiveWriter.defaultModificationTime })
        #expect(members.allSatisfy { $0.mode == ($0.isDirectory ? 0o755 : 0o644) })
        #expect(report.files == members.count { !$0.isDirectory })

        let names = Array(FoodNames.food101.prefix(18))
        let byPath = Dictionary(uniqueKeysWithValues: members.map { ($0.path, $0) })
        let classes = try #require(SampleFixture.lines(byPath["food-101/meta/classes.txt"]!.text, crlf: false))
        #expect(classes == names)
        #expect(classes.firstIndex(of: "cheesecake")! < classes.firstIndex(of: "cheese_plate")!)
        let labels = try #require(SampleFixture.lines(byPath["food-101/meta/labels.txt"]!.text, crlf: false))
        #expect(labels.first == "Apple pie" && labels[17] == "Cheese plate" && labels.count == 18)
        #expect(members.filter(\.isDirectory).map(\.path).sorted()
                == (["food-101/", "food-101/images/", "food-101/meta/"] + names.map { "food-101/images/\($0)/" }).sorted())

        // Images: images/<class>/<numeric id>.jpg, ids unique in the archive.
        let images = members.filter { $0.path.hasPrefix("food-101/images/") && !$0.isDirectory }
        #expect(images.count == 144)
        var stems: [String: String] = [:]  // "class/id" -> path
        for image in images {
            let parts = image.path.split(separator: "/")
            #expect(parts.count == 4 && names.contains(String(parts[2])) && parts[3].hasSuffix(".jpg"))
            let id = parts[3].dropLast(4)
            #expect(Int(id) != nil && (6...7).contains(id.count) && id.first != "0")
            stems["\(parts[2])/\(id)"] = image.path
            let decoded = try ImageDecoder.decode(image.data)
            #expect(decoded.format == .jpeg && max(decoded.image.width, decoded.image.height) == 24)
        }
        #expect(Set(images.map { $0.path.split(separator: "/")[3] }).count == 144)

        // Splits: JSON and text lists agree, cover every image once, 3:1 in every class.
        var seen = Set<String>()
        for (split, perClass) in [("train", 6), ("test", 2)] {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(byPath["food-101/meta/\(split).json"]!.data)) as? [String: [String]])
            #expect(Set(json.keys) == Set(names))
            for name in names {
                #expect(json[name]!.count == perClass)
                #expect(json[name]!.allSatisfy { $0.hasPrefix(name + "/") && !$0.contains(".") && stems[$0] != nil })
            }
            let text = try #require(SampleFixture.lines(byPath["food-101/meta/\(split).txt"]!.text, crlf: false))
            #expect(text == names.flatMap { json[$0]! })
            for entry in text { #expect(seen.insert(entry).inserted) }
        }
        #expect(seen == Set(stems.keys))
        #expect(byPath["food-101/README.txt"]!.text.contains("18 classes, 8 images each (6 train, 2 test)"))
    }

    @Test func jsonIsSpacedAsPythonWritesIt() {
        let json = SampleFood101.json(names: ["a", "b"], lists: [["a/1", "a/22"], []])
        #expect(json == #"{"a": ["a/1", "a/22"], "b": []}"#)
    }

    @Test(arguments: [(2, 1), (3, 1), (4, 1), (8, 2), (40, 10), (1000, 250)])
    func testSplitIsAQuarter(_ perClass: Int, _ test: Int) {
        #expect(SampleFood101(classes: 1, perClass: perClass, seed: 1).testPerClass == test)
    }

    @Test func sameSeedSameBytesWhateverTheThreads() throws {
        let layout = SampleFood101(classes: 3, perClass: 5, seed: 11, style: SampleFixture.tiny)
        let (one, _) = try SampleFixture.write(layout, jobs: 1)
        let (two, _) = try SampleFixture.write(layout, jobs: 3)
        let (other, _) = try SampleFixture.write(SampleFood101(classes: 3, perClass: 5, seed: 12, style: SampleFixture.tiny))
        let bytes = try FileIO.read(one.path + "/food-101.tar.gz")
        #expect(bytes == (try FileIO.read(two.path + "/food-101.tar.gz")))
        #expect(bytes != (try FileIO.read(other.path + "/food-101.tar.gz")))
    }

    @Test func allClassesHaveTheRealNames() throws {
        let layout = SampleFood101(classes: 101, perClass: 2, seed: 1, style: SamplePhotoStyle(maxSide: 8))
        #expect(layout.classNames == FoodNames.food101)
        #expect(Set(layout.images().map(\.id)).count == 202)
        #expect(FoodNames.food101.first == "apple_pie" && FoodNames.food101.last == "waffles")
        // Only cheesecake / cheese_plate differ from byte order.
        let sorted = FoodNames.food101.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(zip(sorted, FoodNames.food101).filter { $0 != $1 }.map(\.1) == ["cheesecake", "cheese_plate"])
    }
}
