import Foundation
import Testing
@testable import DatasetKit

@Suite struct SampleMultiLabelTests {
    @Test func annotationsMatchTheMatrix() throws {
        let layout = SampleMultiLabel(classes: 10, perClass: 3, seed: 6, style: SampleFixture.tiny)
        let (folder, report) = try SampleFixture.write(layout)
        #expect(report.output == folder.path + "/multilabel" && report.images == 30)
        func text(_ name: String) throws -> [String] {
            try #require(SampleFixture.lines(String(decoding: try FileIO.read(folder.path + "/multilabel/" + name), as: UTF8.self), crlf: false))
        }
        #expect(try text("classes.txt") == FoodNames.foodTags)
        let csv = try text("labels.csv")
        #expect(csv.first == "filename," + FoodNames.foodTags.joined(separator: ","))
        #expect(folder.files(under: "multilabel/ImageSets") == (1...30).map { String(format: "%05d.jpg", $0) })
        #expect(folder.files(under: "multilabel/Annotations") == (1...30).map { String(format: "%05d.txt", $0) })
        var tagCounts = [Int](repeating: 0, count: 10)
        for row in csv.dropFirst() {
            let cells = row.split(separator: ",").map(String.init)
            let stem = cells[0].replacingOccurrences(of: ".jpg", with: "")
            let flags = cells.dropFirst().map { Int($0)! }
            #expect(flags.count == 10 && flags.allSatisfy { $0 == 0 || $0 == 1 })
            let named = FoodNames.foodTags.indices.filter { flags[$0] == 1 }.map { FoodNames.foodTags[$0] }
            #expect((1...3).contains(named.count))
            #expect(try text("Annotations/\(stem).txt") == named)
            for (t, flag) in flags.enumerated() { tagCounts[t] += flag }
        }
        #expect(csv.count == 31 && tagCounts.allSatisfy { $0 >= 3 })
    }

    /// Each tag is drawn in its own hue: count the saturated pixels near each tag's hue.
    @Test func imagesShowTheirTags() throws {
        let layout = SampleMultiLabel(classes: 10, perClass: 2, seed: 8, style: SamplePhotoStyle(maxSide: 96, quality: 90))
        let labels = layout.labels()
        for (i, imageLabels) in labels.enumerated() {
            let image = try ImageDecoder.decode(try layout.entries().first { $0.path == "multilabel/ImageSets/\(layout.stem(i)).jpg" }
                .flatMap { if case .image(let make) = $0.content { try make() } else { nil } } ?? []).image
            var counts = [Int](repeating: 0, count: 10)
            for p in 0..<(image.width * image.height) {
                let (hue, saturation) = Self.hueSaturation(image.pixels[3 * p], image.pixels[3 * p + 1], image.pixels[3 * p + 2])
                guard saturation > 0.5 else { continue }
                let tag = Int((hue * 10).rounded()) % 10
                if abs(hue * 10 - (hue * 10).rounded()) < 0.35 { counts[tag] += 1 }
            }
            let total = image.width * image.height
            for t in 0..<10 {
                if imageLabels.contains(t) {
                    #expect(counts[t] > total / 50, "image \(i) tag \(t): \(counts[t]) of \(total)")
                } else {
                    #expect(counts[t] < total / 200, "image \(i) has no tag \(t) but \(counts[t]) of \(total)")
                }
            }
        }
    }

    static func hueSaturation(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (Double, Double) {
        let (r, g, b) = (Double(r), Double(g), Double(b))
        let high = max(r, g, b), low = min(r, g, b), range = high - low
        guard high > 0, range > 0 else { return (0, 0) }
        var hue: Double
        if high == r { hue = (g - b) / range } else if high == g { hue = 2 + (b - r) / range } else { hue = 4 + (r - g) / range }
        hue /= 6
        if hue < 0 { hue += 1 }
        return (hue, range / high)
    }
}
