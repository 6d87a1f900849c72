import Testing
@testable import DatasetKit

@Suite struct PNGEncoderTests {
    static func randomImage(_ width: Int, _ height: Int, seed: UInt64) -> RGBImage {
        var rng = TestRandom(seed: seed)
        return RGBImage(width: width, height: height, pixels: (0..<(width * height * 3)).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    @Test(arguments: [0, 1, 6, 9])
    func roundTripIsLossless(_ level: Int) throws {
        for (width, height) in [(1, 1), (37, 23), (256, 3)] {
            let image = Self.randomImage(width, height, seed: UInt64(level * 1000 + width))
            let bytes = try PNGCodec.encode(image, compressionLevel: level)
            let (decoded, model) = try decodePNG(bytes)
            #expect(decoded == image)
            #expect(model == ColorModel(.rgb))
        }
    }

    @Test func writesA8BitRGBHeader() throws {
        let bytes = try PNGCodec.encode(Self.randomImage(300, 7, seed: 1))
        #expect(Array(bytes.prefix(8)) == PNGCodec.signature)
        #expect(Array(bytes[12..<16]) == Array("IHDR".utf8))
        #expect(Array(bytes[16..<24]) == RawPNGWriter.be32(300) + RawPNGWriter.be32(7))
        #expect(Array(bytes[24..<29]) == [8, 2, 0, 0, 0])  // depth, RGB, deflate, filter, no interlace
        #expect(Array(bytes.suffix(8)) == Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
    }

    @Test func levelsTradeSizeForSpeed() throws {
        let smooth = Expected.image(200, 100) { x, y in RGBColor(red: UInt8(x), green: UInt8(y), blue: 50) }
        let stored = try PNGCodec.encode(smooth, compressionLevel: 0)
        let best = try PNGCodec.encode(smooth, compressionLevel: 9)
        #expect(stored.count > 200 * 100 * 3)
        #expect(best.count < stored.count / 4)
        #expect(try decodePNG(best).0 == smooth)
    }

    @Test func rejectsLevelsOutsideTheRange() {
        let image = RGBImage(width: 2, height: 2)
        for level in [-1, 10] {
            let error = thrownError { _ = try PNGCodec.encode(image, compressionLevel: level) }
            #expect(error?.kind == .encodeFailed)
            #expect(error?.description.contains("0-9") == true)
        }
    }
}
