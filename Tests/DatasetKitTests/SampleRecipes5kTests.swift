import Foundation
import Testing
@testable import DatasetKit

@Suite struct SampleRecipes5kTests {
    static let layout = SampleRecipes5k(classes: 3, perClass: 10, seed: 4, style: SampleFixture.tiny)

    @Test func writesTheRealArchiveLayout() throws {
        let (folder, report) = try SampleFixture.write(Self.layout)
        let path = folder.path + "/Recipes5k.zip"
        #expect(report.output == path && report.images == 30)
        let members = try ArchiveContents.read(path)
        #expect(members.allSatisfy { $0.path.hasPrefix("Recipes5k/") })
        let byPath = Dictionary(uniqueKeysWithValues: members.map { ($0.path, $0) })
        func file(_ name: String, crlf: Bool = false) throws -> [String] {
            let member = try #require(byPath["Recipes5k/annotations/" + name], "\(name) missing")
            return try #require(SampleFixture.lines(member.text, crlf: crlf), "\(name): wrong line endings")
        }

        // Images: images/<class>/<n>_<slug>_hostedLargeUrl.jpg.
        let images = members.filter { $0.path.hasPrefix("Recipes5k/images/") && !$0.isDirectory }
        #expect(images.count == 30)
        let relative = Set(images.map { String($0.path.dropFirst("Recipes5k/images/".count)) })
        for image in relative {
            let parts = image.split(separator: "/")
            #expect(parts.count == 2 && FoodNames.food101.prefix(3).contains(String(parts[0])))
            #expect(parts[1].hasSuffix("_" + parts[0] + "_hostedLargeUrl.jpg") && Int(parts[1].prefix { $0 != "_" }) != nil)
        }
        for image in images.prefix(3) { #expect(try ImageDecoder.decode(image.data).format == .jpeg) }

        // Parallel files: one line per recipe; ingredients comma-joined, with CRLF.
        let classes = try file("classes_Recipes5k.txt")
        let raw = try file("ingredients_Recipes5k.txt", crlf: true)
        let simplified = try file("ingredients_simplified_Recipes5k.txt", crlf: true)
        #expect(classes.count == 30 && raw.count == 30 && simplified.count == 30)
        for (line, tokens) in zip(raw, simplified) {
            let items = line.split(separator: ",", omittingEmptySubsequences: false)
            let words = tokens.split(separator: ",", omittingEmptySubsequences: false)
            #expect(items.count == words.count && items.count >= 6)
            #expect(items.allSatisfy { !$0.isEmpty && $0.first!.isNumber } && words.allSatisfy { !$0.isEmpty })
        }
        #expect(simplified.contains { Set($0.split(separator: ",")).count < $0.split(separator: ",").count },
                "some recipe repeats an ingredient token")

        // Splits: image and label lists parallel, indices in range and of the right class,
        // every image in exactly one split, every split holding every class.
        var covered: [String] = []
        for (split, perClass) in [("train", 6), ("val", 2), ("test", 2)] {
            let listed = try file("\(split)_images.txt"), labels = try file("\(split)_labels.txt")
            #expect(listed.count == labels.count && listed.count == 3 * perClass)
            for (image, label) in zip(listed, labels) {
                let index = try #require(Int(label))
                #expect(classes.indices.contains(index))
                #expect(image.hasPrefix(classes[index] + "/"))
                #expect(relative.contains(image))
            }
            covered += listed
        }
        #expect(covered.count == 30 && Set(covered) == relative)
    }

    @Test func splitsAreAbout70_15_15() {
        #expect(SampleRecipes5k(classes: 1, perClass: 3, seed: 1).heldOutPerClass == 1)
        #expect(SampleRecipes5k(classes: 1, perClass: 10, seed: 1).heldOutPerClass == 2)
        #expect(SampleRecipes5k(classes: 1, perClass: 40, seed: 1).heldOutPerClass == 6)
        let recipes = SampleRecipes5k(classes: 2, perClass: 3, seed: 1).recipes()
        #expect(recipes.map(\.line) == Array(0..<6))
        for c in 0..<2 {
            #expect(Set(recipes.filter { $0.classIndex == c }.map(\.split)) == [.train, .val, .test])
        }
    }

    @Test func sameSeedSameBytesInAnyTimeZone() throws {
        let layout = SampleRecipes5k(classes: 2, perClass: 4, seed: 9, style: SampleFixture.tiny)
        let (one, _) = try SampleFixture.write(layout, jobs: 1)
        let (two, _) = try SampleFixture.write(layout, jobs: 4)
        let bytes = try FileIO.read(one.path + "/Recipes5k.zip")
        #expect(bytes == (try FileIO.read(two.path + "/Recipes5k.zip")))
        // Entries carry no local time (DOS date 1980-01-01 at offset 12 of each local header).
        #expect(Array(bytes[10..<14]) == [0, 0, 0x21, 0])
    }
}
