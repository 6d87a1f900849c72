import Foundation
import Testing
@testable import DatasetKit

@Suite struct SampleProductsTests {
    @Test func writesTheCSVAndAMixOfPNGModes() throws {
        let layout = SampleProducts(classes: 4, perClass: 6, seed: 2, side: 20)
        let (folder, report) = try SampleFixture.write(layout)
        #expect(report.output == folder.path + "/products" && report.images == 24 && report.files == 25)
        let csv = try #require(SampleFixture.lines(String(decoding: try FileIO.read(folder.path + "/products/train.csv"), as: UTF8.self), crlf: false))
        #expect(csv.first == "image_id,label")
        let rows = csv.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 24 && rows.allSatisfy { $0.count == 2 && !$0[0].contains(".") })
        let labels = Array(FoodNames.groceries.prefix(4))
        for label in labels { #expect(rows.count { $0[1] == label } == 6) }
        #expect(rows.map { $0[1] } != rows.map { $0[1] }.sorted(), "rows are not grouped by label")

        let pngs = folder.files(under: "products/train_img")
        #expect(Set(pngs) == Set(rows.map { $0[0] + ".png" }))
        var modes: [ColorModel.Channels: Int] = [:]
        for name in pngs {
            let bytes = try FileIO.read(folder.path + "/products/train_img/" + name)
            let onWhite = try ImageDecoder.decode(bytes)
            #expect(onWhite.format == .png && onWhite.image.width == 20 && onWhite.image.height == 20)
            modes[onWhite.colorModel.channels, default: 0] += 1
            if onWhite.colorModel == ColorModel(.rgba) {
                // Some transparency: the background shows through.
                let onBlack = try ImageDecoder.decode(bytes, options: DecodeOptions(background: .black))
                #expect(onBlack.image != onWhite.image)
            }
        }
        #expect(modes == [.rgb: 8, .rgba: 8, .palette: 8])
    }

    @Test func sameSeedSameBytes() throws {
        let layout = SampleProducts(classes: 2, perClass: 3, seed: 5, side: 16)
        let (one, _) = try SampleFixture.write(layout, jobs: 1)
        let (two, _) = try SampleFixture.write(layout, jobs: 3)
        #expect(one.files() == two.files() && one.files().count == 7)
        for name in one.files() { #expect(try FileIO.read(one.path + "/" + name) == FileIO.read(two.path + "/" + name)) }
    }
}
