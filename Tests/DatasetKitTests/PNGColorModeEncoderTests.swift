import Testing
@testable import DatasetKit

/// Writing RGBA and palette PNGs (the product sample's mix), read back by our own decoder.
@Suite struct PNGColorModeEncoderTests {
    static let rgb = Expected.image(23, 17) { x, y in RGBColor(red: UInt8(x * 11), green: UInt8(y * 15), blue: UInt8((x ^ y) * 7)) }

    @Test(arguments: [0, 6, 9])
    func rgbaRoundTripsAndComposites(_ level: Int) throws {
        let alpha = (0..<(23 * 17)).map { (i: Int) -> UInt8 in i % 23 < 5 ? 0 : i % 23 < 10 ? 128 : 255 }
        let bytes = try ImageEncoder.encodePNG(RGBAImage(Self.rgb, alpha: alpha), compressionLevel: level)
        #expect(Array(bytes[24..<26]) == [8, 6])  // 8-bit RGBA
        for background in [RGBColor.white, RGBColor(red: 10, green: 200, blue: 30)] {
            let (image, model) = try decodePNG(bytes, background: background)
            #expect(model == ColorModel(.rgba))
            let expected = Expected.image(23, 17) { x, y in
                let c = Self.rgb[x, y], a = Int(alpha[y * 23 + x])
                return RGBColor(red: Expected.over(Int(c.red), a, background.red),
                                green: Expected.over(Int(c.green), a, background.green),
                                blue: Expected.over(Int(c.blue), a, background.blue))
            }
            #expect(image == expected)
        }
    }

    @Test func paletteRoundTripsExactly() throws {
        let palette = (0..<200).map { (i: Int) -> RGBColor in
            RGBColor(red: UInt8(i), green: UInt8(255 - i), blue: UInt8(i * 3 % 256))
        }
        let indices = (0..<(40 * 30)).map { (i: Int) -> UInt8 in UInt8(i * 7 % 200) }
        let indexed = IndexedImage(width: 40, height: 30, palette: palette, indices: indices)
        let bytes = try ImageEncoder.encodePNG(indexed)
        #expect(Array(bytes[24..<26]) == [8, 3])  // 8-bit palette
        let (image, model) = try decodePNG(bytes)
        #expect(model == ColorModel(.palette))
        #expect(image == indexed.rgb)
    }

    @Test func paletteAlphaBecomesTRNS() throws {
        let indexed = IndexedImage(width: 4, height: 1, palette: [.black, .white, RGBColor(red: 200, green: 0, blue: 0)],
                                   alpha: [0, 255], indices: [0, 1, 2, 0])
        let (image, model) = try decodePNG(try ImageEncoder.encodePNG(indexed), background: RGBColor(gray: 77))
        #expect(model == ColorModel(.paletteAlpha))
        #expect(image.pixels == [77, 77, 77, 255, 255, 255, 200, 0, 0, 77, 77, 77])
    }

    @Test func refusesIndicesOutsideThePalette() {
        let indexed = IndexedImage(width: 2, height: 1, palette: [.black, .white], indices: [1, 2])
        #expect { try ImageEncoder.encodePNG(indexed) } throws: { error in
            "\(error)".contains("palette entry 2") && "\(error)".contains("2 entries")
        }
        #expect(throws: ImageError.self) { try ImageEncoder.encodePNG(RGBAImage(width: 1, height: 1, pixels: [0, 0, 0, 0]), compressionLevel: 10) }
    }

    @Test func quantizingFewColoursIsLossless() throws {
        let flat = Expected.image(30, 20) { x, y in [RGBColor.white, .black, RGBColor(red: 9, green: 80, blue: 200)][(x / 10 + y / 10) % 3] }
        let indexed = IndexedImage(quantizing: flat)
        #expect(indexed.palette.count == 3)
        #expect(indexed.rgb == flat)
        #expect(try decodePNG(try ImageEncoder.encodePNG(indexed)).0 == flat)
    }

    @Test func quantizingManyColoursKeepsTheImageClose() throws {
        let photo = SyntheticPhoto.render(classIndex: 3, index: 0, size: PixelSize(width: 96, height: 64), seed: 1)
        let indexed = IndexedImage(quantizing: photo)
        #expect((32...256).contains(indexed.palette.count))
        #expect(TestImages.psnr(indexed.rgb, photo) > 30)
        let noise = PNGEncoderTests.randomImage(64, 64, seed: 3)
        let full = IndexedImage(quantizing: noise)
        #expect(full.palette.count == 256)
        #expect(TestImages.psnr(full.rgb, noise) > 20)
        let few = IndexedImage(quantizing: TestImages.gradient(width: 64, height: 64), maxColors: 16)
        #expect(few.palette.count == 16 && Set(few.indices).count == 16)
        #expect(TestImages.psnr(few.rgb, TestImages.gradient(width: 64, height: 64)) > 20)
        #expect(IndexedImage(quantizing: photo) == indexed)  // deterministic
    }
}
