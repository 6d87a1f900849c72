import Testing
@testable import DatasetKit

@Suite struct PixelSizeTests {
    @Test func parsesCommonSpellings() {
        #expect(PixelSize(parsing: "224x160") == PixelSize(width: 224, height: 160))
        #expect(PixelSize(parsing: "128") == PixelSize(width: 128, height: 128))
        #expect(PixelSize(parsing: "64,32") == PixelSize(width: 64, height: 32))
        #expect(PixelSize(parsing: "0x10") == nil)
        #expect(PixelSize(parsing: "axb") == nil)
        #expect(PixelSize(parsing: "1x2x3") == nil)
    }

    @Test func parsesColours() {
        #expect(RGBColor(parsing: "#ff8000") == RGBColor(red: 255, green: 128, blue: 0))
        #expect(RGBColor(parsing: "10,20,30") == RGBColor(red: 10, green: 20, blue: 30))
        #expect(RGBColor(parsing: "white") == .white)
        #expect(RGBColor(parsing: "#ff80") == nil)
        #expect(RGBColor(parsing: "256,0,0") == nil)
    }

    @Test func detectsFormatsFromBytes() {
        #expect(ImageFormat.detect([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.detect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .png)
        #expect(ImageFormat.detect(Array("BM".utf8) + [0, 0]) == .bmp)
        #expect(ImageFormat.detect(Array("P6\n".utf8)) == .pnm)
        #expect(ImageFormat.detect(Array("hello".utf8)) == nil)
    }
}
