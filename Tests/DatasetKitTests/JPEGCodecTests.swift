import Testing
@testable import DatasetKit

@Suite struct JPEGCodecTests {
    let image = TestImages.gradient(width: 64, height: 48)

    @Test(arguments: [JPEGFixtures.Kind.baseline420, .baseline444, .progressive])
    func decodesColourVariants(kind: JPEGFixtures.Kind) throws {
        let decoded = try ImageDecoder.decode(JPEGFixtures.encode(image, kind: kind))
        #expect(decoded.format == .jpeg)
        #expect(decoded.colorModel == ColorModel(.rgb))
        #expect(decoded.image.width == 64 && decoded.image.height == 48)
        #expect(TestImages.psnr(decoded.image, image) > 35)
    }

    @Test func decodesGrayscaleToEqualChannels() throws {
        let decoded = try ImageDecoder.decode(JPEGFixtures.encode(image, kind: .grayscale))
        #expect(decoded.colorModel == ColorModel(.gray))
        let p = decoded.image.pixels
        for i in Swift.stride(from: 0, to: p.count, by: 3) {
            #expect(p[i] == p[i + 1] && p[i] == p[i + 2])
        }
    }

    @Test func decodesAdobeCMYKAsPillowDoes() throws {
        // Pure cyan ink, pure black ink, no ink, half magenta.
        let inks: [UInt8] = [255, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 128, 0, 0]
        // 8x8 so each of the 4 colours fills a flat 4x4 quadrant and survives compression.
        var block = [UInt8](repeating: 0, count: 8 * 8 * 4)
        for y in 0..<8 {
            for x in 0..<8 {
                let q = (y / 4) * 2 + x / 4
                for c in 0..<4 { block[(y * 8 + x) * 4 + c] = inks[q * 4 + c] }
            }
        }
        let decoded = try ImageDecoder.decode(JPEGFixtures.adobeCMYK(inks: block, width: 8, height: 8))
        #expect(decoded.colorModel.channels == .ycck || decoded.colorModel.channels == .cmyk)
        let expected: [RGBColor] = [RGBColor(red: 0, green: 255, blue: 255), .black, .white,
                                    RGBColor(red: 255, green: 127, blue: 255)]
        for (q, colour) in expected.enumerated() {
            let got = decoded.image[(q % 2) * 4 + 1, (q / 2) * 4 + 1]
            #expect(abs(Int(got.red) - Int(colour.red)) <= 3, "quadrant \(q) red \(got)")
            #expect(abs(Int(got.green) - Int(colour.green)) <= 3, "quadrant \(q) green \(got)")
            #expect(abs(Int(got.blue) - Int(colour.blue)) <= 3, "quadrant \(q) blue \(got)")
        }
    }

    @Test func encodeRoundTripIsClose() throws {
        for subsampling in ChromaSubsampling.allCases {
            let bytes = try ImageEncoder.encode(image, as: .jpeg(quality: 95, subsampling: subsampling))
            #expect(ImageFormat.detect(bytes) == .jpeg)
            let back = try ImageDecoder.decode(bytes).image
            #expect(TestImages.psnr(back, image) > 35)
        }
    }

    @Test(arguments: 1...8)
    func appliesExifOrientation(value: Int) throws {
        let orientation = try #require(ExifOrientation(rawValue: value))
        // Lossless enough at q100 4:4:4 to compare geometry.
        let plain = JPEGFixtures.encode(image, kind: .baseline444, quality: 100)
        let stored = try ImageDecoder.decode(plain).image
        for bigEndian in [true, false] {
            let tagged = JPEGFixtures.withOrientation(plain, value, bigEndian: bigEndian)
            let decoded = try ImageDecoder.decode(tagged)
            #expect(decoded.orientation == orientation)
            #expect(decoded.image == stored.oriented(orientation))
            #expect(decoded.originalSize == PixelSize(width: decoded.image.width, height: decoded.image.height))
            let raw = try ImageDecoder.decode(tagged, options: DecodeOptions(applyOrientation: false))
            #expect(raw.image == stored)
        }
    }

    @Test func reducesAtDCTScaleButNeverBelowTarget() throws {
        let big = TestImages.gradient(width: 512, height: 384)
        let bytes = JPEGFixtures.encode(big, kind: .baseline420)
        let half = try ImageDecoder.decode(bytes, options: DecodeOptions(reduceTo: PixelSize(width: 256, height: 192)))
        #expect(half.image.width == 256 && half.image.height == 192)
        #expect(half.originalSize == PixelSize(width: 512, height: 384))
        let odd = try ImageDecoder.decode(bytes, options: DecodeOptions(reduceTo: PixelSize(width: 224, height: 224)))
        #expect(odd.image.width == 512 && odd.image.height == 384)  // 1/2 would go below 224: no reduction
        let none = try ImageDecoder.decode(bytes, options: DecodeOptions(reduceTo: PixelSize(width: 600, height: 600)))
        #expect(none.image.width == 512)
        // Rotated files compare the target with the upright size.
        let rotated = JPEGFixtures.withOrientation(bytes, 6)
        let upright = try ImageDecoder.decode(rotated, options: DecodeOptions(reduceTo: PixelSize(width: 192, height: 256)))
        #expect(upright.image.width == 192 && upright.image.height == 256)
    }

    @Test func reportsTruncatedEmptyAndGarbage() throws {
        let bytes = JPEGFixtures.encode(TestImages.gradient(width: 128, height: 128), kind: .baseline420)
        #expect(throws: ImageError.empty) { try ImageDecoder.decode([]) }
        do {
            _ = try ImageDecoder.decode(Array(bytes.prefix(bytes.count / 2)))
            Issue.record("a truncated JPEG decoded")
        } catch {
            guard case .truncated(.jpeg, _) = error else { Issue.record("expected truncated, got \(error)"); return }
            #expect(error.description.contains("truncated JPEG"))
        }
        do {
            _ = try ImageDecoder.decode([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0x42, count: 500))
            Issue.record("garbage decoded")
        } catch {
            switch error {
            case .corrupt(.jpeg, _), .truncated(.jpeg, _): break
            default: Issue.record("expected corrupt, got \(error)")
            }
        }
        #expect(throws: ImageError.unknownFormat(leadingBytes: "68 65 6c 6c 6f")) { try ImageDecoder.decode(Array("hello".utf8)) }
    }

    @Test func refusesImagesOverThePixelLimit() throws {
        let bytes = JPEGFixtures.encode(image, kind: .baseline420)
        #expect(throws: ImageError.tooLarge(width: 64, height: 48, limit: 1000)) {
            try ImageDecoder.decode(bytes, options: DecodeOptions(maxPixels: 1000))
        }
    }

    @Test func exifReaderSurvivesMalformedSegments() {
        // An APP1 whose IFD offset points past the end must not crash and must read as upright.
        var jpeg = JPEGFixtures.encode(image, kind: .baseline420)
        let tagged = JPEGFixtures.withOrientation(jpeg, 6)
        jpeg = tagged
        jpeg[4 + 6 + 4 + 3] = 0xFF  // corrupt the IFD offset's low byte (big-endian)
        let orientation = jpeg.withUnsafeBytes { ExifReader.orientation(inJPEG: $0) }
        #expect(orientation == .up)
    }
}
