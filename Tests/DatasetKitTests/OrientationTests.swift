import Testing
@testable import DatasetKit

@Suite struct OrientationTests {
    // A 3x2 image whose pixels are coded (x, y): rows (0,0)(1,0)(2,0) / (0,1)(1,1)(2,1).
    let image = TestImages.coded(width: 3, height: 2)

    func codes(_ image: RGBImage) -> [[String]] {
        (0..<image.height).map { y in (0..<image.width).map { x in let c = image[x, y]; return "\(c.red)\(c.green)" } }
    }

    @Test func matchesPillowsExifTranspose() {
        #expect(codes(image.oriented(.up)) == [["00", "10", "20"], ["01", "11", "21"]])
        #expect(codes(image.oriented(.upMirrored)) == [["20", "10", "00"], ["21", "11", "01"]])
        #expect(codes(image.oriented(.down)) == [["21", "11", "01"], ["20", "10", "00"]])
        #expect(codes(image.oriented(.downMirrored)) == [["01", "11", "21"], ["00", "10", "20"]])
        // Transpose.
        #expect(codes(image.oriented(.leftMirrored)) == [["00", "01"], ["10", "11"], ["20", "21"]])
        // 90° clockwise: the bottom-left pixel comes to the top-left.
        #expect(codes(image.oriented(.right)) == [["01", "00"], ["11", "10"], ["21", "20"]])
        // Transverse.
        #expect(codes(image.oriented(.rightMirrored)) == [["21", "20"], ["11", "10"], ["01", "00"]])
        // 90° counter-clockwise: the top-right pixel comes to the top-left.
        #expect(codes(image.oriented(.left)) == [["20", "21"], ["10", "11"], ["00", "01"]])
    }

    @Test func inversePairsRestoreTheImage() {
        #expect(image.oriented(.right).oriented(.left) == image)
        #expect(image.oriented(.down).oriented(.down) == image)
        #expect(image.oriented(.leftMirrored).oriented(.leftMirrored) == image)
    }
}
