import Testing
@testable import DatasetKit

@Suite struct ResizeTests {
    @Test(arguments: ResizeFilter.allCases, ResizeMode.allCases)
    func flatImagesStayExactlyFlat(filter: ResizeFilter, mode: ResizeMode) {
        let colour = RGBColor(red: 200, green: 17, blue: 99)
        let flat = RGBImage(width: 97, height: 61, fill: colour)
        let out = flat.resized(ResizeSpec(size: PixelSize(width: 40, height: 40), mode: mode, filter: filter, fill: colour))
        #expect(out.pixels.allSatisfy { $0 == 200 || $0 == 17 || $0 == 99 })
        #expect(out[out.width / 2, out.height / 2] == colour)
    }

    @Test func outputSizesFollowTheMode() {
        let image = TestImages.gradient(width: 400, height: 300)
        let size = PixelSize(width: 200, height: 200)
        #expect(image.resized(ResizeSpec(size: size, mode: .stretch)).width == 200)
        let crop = image.resized(ResizeSpec(size: size, mode: .crop))
        #expect(crop.width == 200 && crop.height == 200)
        let pad = image.resized(ResizeSpec(size: size, mode: .pad))
        #expect(pad.width == 200 && pad.height == 200)
        let shorter = image.resized(ResizeSpec(size: PixelSize(width: 150, height: 150), mode: .shorter))
        #expect(shorter.width == 200 && shorter.height == 150)
        let tall = TestImages.gradient(width: 300, height: 600).resized(ResizeSpec(size: PixelSize(width: 100, height: 1), mode: .shorter))
        #expect(tall.width == 100 && tall.height == 200)
    }

    @Test func padLetterboxesWithTheFillColour() {
        let white = RGBImage(width: 400, height: 200, fill: .white)
        let fill = RGBColor(red: 1, green: 2, blue: 3)
        let out = white.resized(ResizeSpec(size: PixelSize(width: 100, height: 100), mode: .pad, fill: fill))
        // Content 100x50 centred: rows 0..<25 and 75..<100 are fill.
        #expect(out[50, 0] == fill && out[50, 24] == fill && out[50, 99] == fill && out[50, 75] == fill)
        #expect(out[50, 25] == .white && out[50, 74] == .white && out[0, 50] == .white)
    }

    @Test func cropKeepsTheCentre() {
        // A wide image: red left third, green middle third, blue right third.
        let image = RGBImage(width: 300, height: 100) { p in
            for y in 0..<100 {
                for x in 0..<300 {
                    let i = (y * 300 + x) * 3
                    p[i] = x < 100 ? 255 : 0; p[i + 1] = (100..<200).contains(x) ? 255 : 0; p[i + 2] = x >= 200 ? 255 : 0
                }
            }
        }
        let out = image.resized(ResizeSpec(size: PixelSize(width: 50, height: 50), mode: .crop, filter: .area))
        #expect(out.pixels.enumerated().allSatisfy { i, v in i % 3 == 1 ? v == 255 : v == 0 })
    }

    @Test func nearestPicksSourcePixelsAsPillowDoes() {
        let image = TestImages.coded(width: 8, height: 6)
        let out = image.resized(ResizeSpec(size: PixelSize(width: 4, height: 3), filter: .nearest))
        // Pillow NEAREST takes floor((i + 0.5) * scale): columns 1,3,5,7 and rows 1,3,5.
        for y in 0..<3 {
            for x in 0..<4 {
                #expect(out[x, y] == RGBColor(red: UInt8(2 * x + 1), green: UInt8(2 * y + 1), blue: 7))
            }
        }
    }

    @Test func areaHalvingAveragesTwoByTwoBlocks() {
        let image = RGBImage(width: 4, height: 2, pixels: [
            0, 0, 0, 100, 100, 100, 10, 20, 30, 10, 20, 30,
            200, 200, 200, 100, 100, 100, 50, 60, 70, 50, 60, 70,
        ])
        let out = image.resized(ResizeSpec(size: PixelSize(width: 2, height: 1), filter: .area))
        #expect(out.pixels == [100, 100, 100, 30, 40, 50])
    }

    @Test func bilinearMatchesTheTriangleFilter() {
        // Upscaling two pixels 0 and 255 to four: centres at 0.25, 0.75, 1.25, 1.75 source px
        // give 0, 64 (0.25 of the way), 191, 255.
        let image = RGBImage(width: 2, height: 1, pixels: [0, 0, 0, 255, 255, 255])
        let out = image.resized(ResizeSpec(size: PixelSize(width: 4, height: 1), filter: .bilinear))
        #expect(out.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) == [0, 64, 191, 255])
    }

    @Test func sameSizeStretchIsTheIdentity() {
        let image = TestImages.gradient(width: 33, height: 17)
        for filter in ResizeFilter.allCases {
            #expect(image.resized(ResizeSpec(size: PixelSize(width: 33, height: 17), filter: filter)) == image)
        }
    }

    @Test func downscalingAntialiases() {
        // One-pixel stripes average to grey under both antialiased filters; nearest keeps one.
        let stripes = RGBImage(width: 64, height: 8) { p in
            for i in 0..<(64 * 8) { let v: UInt8 = (i % 64) % 2 == 0 ? 0 : 255; p[i * 3] = v; p[i * 3 + 1] = v; p[i * 3 + 2] = v }
        }
        for filter in [ResizeFilter.bilinear, .area] {
            let out = stripes.resized(ResizeSpec(size: PixelSize(width: 16, height: 8), filter: filter))
            // Interior columns: at the edges the window is clipped, as in Pillow.
            for x in 1..<15 { #expect((126...129).contains(out[x, 4].red), "\(filter) x=\(x)") }
        }
        let nearest = stripes.resized(ResizeSpec(size: PixelSize(width: 16, height: 8), filter: .nearest))
        #expect(nearest.pixels.allSatisfy { $0 == 0 || $0 == 255 })
    }

    @Test func weightsSumToOneEverywhere() {
        for (source, output) in [(512, 224), (384, 224), (100, 300), (7, 3), (1, 5)] {
            for filter in ResizeFilter.allCases {
                let w = ResampleWeights(sourceStart: 0, sourceLength: Double(source), sourceSize: source,
                                        outputCount: output, filter: filter)
                for i in 0..<output {
                    let sum = (0..<Int(w.counts[i])).reduce(Int32(0)) { $0 + w.weights[i * w.taps + $1] }
                    #expect(sum == ResampleWeights.one)
                    #expect(w.starts[i] >= 0 && Int(w.starts[i] + w.counts[i]) <= source)
                }
            }
        }
    }
}
