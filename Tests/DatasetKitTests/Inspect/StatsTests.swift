import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import DatasetKit

@Suite struct StatsTests {
    @Test func channelStatisticsEqualADirectComputation() {
        var generator = TestRandom(seed: 3)
        var statistics = ChannelStatistics()
        var all: [UInt8] = []
        for (w, h) in [(5, 3), (4100, 2), (1, 1)] {  // one wider than the 32-bit run of 4096 pixels
            let pixels = (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            statistics.add(RGBImage(width: w, height: h, pixels: pixels))
            all += pixels
        }
        #expect(statistics.pixelCount == all.count / 3)
        for c in 0..<3 {
            let values = stride(from: c, to: all.count, by: 3).map { Double(all[$0]) / 255 }
            let mean = values.reduce(0, +) / Double(values.count)
            let std = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            #expect(abs(statistics.mean[c] - mean) < 1e-6 && abs(statistics.std[c] - std) < 1e-6)
        }
        var merged = ChannelStatistics(RGBImage(width: 1, height: 1, fill: .white))
        merged.merge(ChannelStatistics(RGBImage(width: 1, height: 1, fill: .black)))
        #expect(merged.mean == [0.5, 0.5, 0.5] && merged.std == [0.5, 0.5, 0.5])
    }

    /// train: cat 3 (sizes 10x8, 20x6, 30x40; one RGBA PNG, one gray JPEG), dog 1 (+1 truncated);
    /// test: cat 1, dog 0.
    func fixture(_ folder: TemporaryFolder) -> String {
        let red = RGBImage(width: 10, height: 8, fill: RGBColor(red: 255, green: 0, blue: 0))
        folder.write("d/train/cat/1.png", PackFixtures.png(red))
        let rgba = RawPNGWriter(width: 20, height: 6, colorType: .rgba, bitDepth: 8,
                                samples: (0..<120).flatMap { _ in [0, 0, 255, 255] })
        folder.write("d/train/cat/2.png", rgba.bytes())
        folder.write("d/train/cat/3.jpg", JPEGFixtures.encode(RGBImage(width: 30, height: 40, fill: RGBColor(gray: 128)), kind: .grayscale))
        folder.write("d/train/dog/4.png", PackFixtures.png(RGBImage(width: 12, height: 12, fill: .white)))
        let jpeg = PackFixtures.jpeg(PackFixtures.picture(1))
        folder.write("d/train/dog/5.jpg", Array(jpeg.prefix(jpeg.count / 2)))
        folder.write("d/test/cat/6.png", PackFixtures.png(RGBImage(width: 7, height: 9, fill: .black)))
        folder.write("d/classes.txt", Array("cat\ndog\n".utf8))
        return folder.path + "/d"
    }

    func stats(_ root: String, size: Int = 4) throws -> DatasetStats {
        let input = try PackInput.read(root: root)
        let inspector = ImageInspector(statisticsResize: ResizeJob(spec: ResizeSpec(size: PixelSize(width: size, height: size))))
        let facts = input.splits.map { $0.items.map { inspector.inspect(root: root, path: $0.path) } }
        return DatasetStats(input: input, facts: facts, statisticsSize: PixelSize(width: size, height: size))
    }

    @Test func everyReportFieldOnKnownFixtures() throws {
        let folder = TemporaryFolder()
        let s = try stats(fixture(folder))
        #expect(s.classes == ["cat", "dog"] && !s.multiLabel)
        #expect(s.files == 6 && s.images == 5 && s.corrupt == 1)
        #expect(s.corruptFiles.count == 1 && s.corruptFiles[0].path.hasSuffix("train/dog/5.jpg")
                && s.corruptFiles[0].reason.contains("truncated JPEG"))
        let (test, train) = (s.splits[0], s.splits[1])
        #expect(test.name == "test" && train.name == "train")
        #expect(train.classes.map(\.count) == [3, 1] && train.classes.map(\.share) == [0.75, 0.25])
        #expect(train.imbalanceRatio == 3 && train.files == 5 && train.images == 4 && train.corrupt == 1)
        #expect(test.classes.map(\.count) == [1, 0] && test.imbalanceRatio == 1)
        #expect(train.width == DatasetStats.Spread([10, 20, 30, 12]) && train.width?.min == 10 && train.width?.max == 30)
        #expect(train.width?.median == 16 && train.height?.median == 10 && train.height?.max == 40)
        #expect(test.width?.median == 7)
        #expect(train.colorModes == ["rgb": 2, "rgba": 1, "gray": 1])
        #expect(train.formats == ["PNG": 3, "JPEG": 1])
        #expect(s.totalCounts == [4, 1])
        // Uniform images: red, blue over white (opaque here), gray 128 (a JPEG: near 128), white.
        #expect(abs(train.mean[0] - (1 + 0 + 128.0 / 255 + 1) / 4) < 0.01)
        #expect(test.mean == [0, 0, 0] && test.std == [0, 0, 0])
    }

    @Test func meanAndStdAreThoseOfTheResizedPixels() throws {
        let folder = TemporaryFolder()
        let a = PackFixtures.picture(1, width: 30, height: 20), b = PackFixtures.picture(2, width: 8, height: 8)
        folder.write("d/x/a.png", PackFixtures.png(a))
        folder.write("d/y/b.png", PackFixtures.png(b))
        let s = try stats(folder.path + "/d", size: 6)
        let spec = ResizeSpec(size: PixelSize(width: 6, height: 6))
        let all = a.resized(spec).pixels + b.resized(spec).pixels
        for c in 0..<3 {
            let values = stride(from: c, to: all.count, by: 3).map { Double(all[$0]) / 255 }
            let mean = values.reduce(0, +) / Double(values.count)
            let std = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            #expect(abs(s.splits[0].mean[c] - mean) < 1e-6 && abs(s.splits[0].std[c] - std) < 1e-6)
        }
    }

    @Test func multiLabelCountsAreImagesCarryingEachLabel() throws {
        let folder = TemporaryFolder()
        for (i, tags) in [["a"], ["a", "b"], ["b"], ["a"]].enumerated() {
            folder.write("ml/ImageSets/\(i).png", PackFixtures.png(PackFixtures.picture(i, width: 8, height: 8)))
            folder.write("ml/Annotations/\(i).txt", Array(tags.map { $0 + "\n" }.joined().utf8))
        }
        let s = try stats(folder.path + "/ml")
        #expect(s.multiLabel && s.splits[0].classes.map(\.count) == [3, 2] && s.splits[0].classes.map(\.share) == [0.75, 0.5])
        #expect(s.splits[0].imbalanceRatio == 1.5)
    }

    @Test func barChartIsWellFormedSVGWithEveryClass() throws {
        let classes = (0..<101).map { "class_\($0)" } + ["mac & cheese <b>"]
        let chart = BarChartSVG(title: "Images per class", categories: classes,
                                series: [("train", classes.indices.map { $0 == 5 ? 0 : 750 }), ("test", classes.indices.map { _ in 250 })])
        let svg = chart.svg
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(svg.contains("mac &amp; cheese &lt;b&gt;") && !svg.contains("<b>"))
        #expect(svg.components(separatedBy: "rotate(-60)").count - 1 == classes.count)
        #expect(svg.components(separatedBy: "<title>").count - 1 == 2 * classes.count - 1)
        #expect(svg.contains(">1000<") && svg.contains(">250<"))
        #expect(BarChartSVG.ticks(maximum: 1000) == (200, 1000) && BarChartSVG.ticks(maximum: 3) == (1, 3))
    }
}
