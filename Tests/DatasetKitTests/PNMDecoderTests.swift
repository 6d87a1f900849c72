import Testing
@testable import DatasetKit

@Suite struct PNMDecoderTests {
    static func file(_ header: String, _ data: [UInt8] = []) -> [UInt8] { Array(header.utf8) + data }
    static func be16(_ values: [Int]) -> [UInt8] { values.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }

    @Test func binaryPixmap255() throws {
        let data: [UInt8] = [1, 2, 3, 4, 5, 6, 250, 251, 252, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        let (image, model) = try decodePNM(Self.file("P6\n3 2\n255\n", data))
        #expect(image.width == 3 && image.height == 2)
        #expect(image.pixels == data)
        #expect(model == ColorModel(.rgb))
        #expect(model.isPlainRGB8)
    }

    @Test func binaryGraymap255() throws {
        let (image, model) = try decodePNM(Self.file("P5 2 2 255\n", [0, 100, 200, 255]))
        #expect(image.pixels == [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255])
        #expect(model == ColorModel(.gray))
    }

    @Test func sixteenBitSamplesReduceByValue() throws {
        let values = [0x0000, 0x0101, 0x8080, 0xFFFF, 0x7FFF, 0x0081]
        let (gray, grayModel) = try decodePNM(Self.file("P5\n6 1\n65535\n", Self.be16(values)))
        #expect(gray.pixels == [0, 1, 128, 255, 127, 1].flatMap { [$0, $0, $0] })
        #expect(grayModel == ColorModel(.gray, bitDepth: 16))

        let (rgb, rgbModel) = try decodePNM(Self.file("P6\n2 1\n65535\n", Self.be16(values)))
        #expect(rgb.pixels == [0, 1, 128, 255, 127, 1])
        #expect(rgbModel == ColorModel(.rgb, bitDepth: 16))
    }

    @Test func smallMaxvalScalesByValue() throws {
        // maxval 15: v * 255 / 15 = v * 17. maxval 1000 (two bytes per sample): rounded.
        let (four, model) = try decodePNM(Self.file("P5 4 1 15 ", [0, 1, 8, 15]))
        #expect(four.pixels == [0, 17, 136, 255].flatMap { [$0, $0, $0] })
        #expect(model == ColorModel(.gray, bitDepth: 4))
        let (wide, _) = try decodePNM(Self.file("P6 1 1 1000\n", Self.be16([1000, 500, 2])))
        #expect(wide.pixels == [255, Expected.scale(500, max: 1000), Expected.scale(2, max: 1000)])
        #expect(wide.pixels == [255, 128, 1])
    }

    @Test func asciiFormatsWithComments() throws {
        let p3 = "P3\n# made by hand\n2 # width\n# now the height\n 2\n255\n1 2 3   4 5 6\n# a comment in the raster\n7 8 9\n10 11 12\n"
        let (rgb, rgbModel) = try decodePNM(Self.file(p3))
        #expect(rgb.pixels == Array(1...12))
        #expect(rgbModel == ColorModel(.rgb))

        let (gray, grayModel) = try decodePNM(Self.file("P2#c\n3 1\r\n65535\n0 32896\t65535"))
        #expect(gray.pixels == [0, 0, 0, 128, 128, 128, 255, 255, 255])
        #expect(grayModel == ColorModel(.gray, bitDepth: 16))
    }

    @Test func onlyTheFirstImageIsRead() throws {
        let first = Self.file("P6\n1 1\n255\n", [9, 8, 7])
        let second = Self.file("P6\n2 2\n255\n", [UInt8](repeating: 1, count: 12))
        #expect(try decodePNM(first + second).0.pixels == [9, 8, 7])
        #expect(try decodePNM(Self.file("P2 1 1 255 42 P2 1 1 255 7")).0.pixels == [42, 42, 42])
    }

    @Test func truncatedInput() {
        #expect(thrownError { _ = try decodePNM([]) } == .empty)
        for text in ["P", "P6", "P6 ", "P6\n3", "P6\n3 2", "P6\n3 2\n255"] {
            #expect(thrownError { _ = try decodePNM(Self.file(text)) }?.kind == .truncated, "\(text.debugDescription)")
        }
        let cut = thrownError { _ = try decodePNM(Self.file("P6\n3 2\n255\n", [UInt8](repeating: 0, count: 17))) }
        #expect(cut?.kind == .truncated)
        #expect(cut?.description == "truncated PPM/PGM: the pixel data has 17 bytes but 18 are needed")
        #expect(thrownError { _ = try decodePNM(Self.file("P5 2 2 65535\n", [0, 0, 0, 0, 0, 0, 0])) }?.kind == .truncated)
        let ascii = thrownError { _ = try decodePNM(Self.file("P3 2 1 255\n1 2 3 4 5")) }
        #expect(ascii?.kind == .truncated)
        #expect(ascii?.description.contains("5 of 6 samples") == true)
    }

    @Test func badData() {
        for text in ["P6 3 2 0\n", "P6 3 2 65536\n", "P6 x 2 255\n", "P61 1 255\n", "Q6 1 1 255\n", "P3 1 1 255\n1 2 x"] {
            #expect(thrownError { _ = try decodePNM(Self.file(text + "\u{0}\u{0}\u{0}")) }?.kind == .corrupt, "\(text.debugDescription)")
        }
        // Samples above maxval.
        #expect(thrownError { _ = try decodePNM(Self.file("P5 2 1 15 ", [3, 16])) }?.kind == .corrupt)
        #expect(thrownError { _ = try decodePNM(Self.file("P6 1 1 1000 ", Self.be16([1, 1001, 1]))) }?.kind == .corrupt)
        let ascii = thrownError { _ = try decodePNM(Self.file("P2 2 1 100 50 101")) }
        #expect(ascii?.kind == .corrupt)
        #expect(ascii?.description.contains("above the maxval of 100") == true)
    }

    @Test func unsupportedAndTooLarge() {
        #expect(thrownError { _ = try decodePNM(Self.file("P4 8 1 \u{1}")) }?.kind == .unsupported)
        #expect(thrownError { _ = try decodePNM(Self.file("P7\nWIDTH 1\n")) }?.kind == .unsupported)
        #expect(thrownError { _ = try decodePNM(Self.file("P6 0 5 255\n")) }?.kind == .unsupported)
        #expect(thrownError { _ = try decodePNM(Self.file("P6 100000 100000 255\n"), maxPixels: 1_000_000) }
                == .tooLarge(width: 100_000, height: 100_000, limit: 1_000_000))
        #expect(thrownError { _ = try decodePNM(Self.file("P6 99999999999999999999 2 255\n"), maxPixels: 1_000_000) }?.kind == .tooLarge)
        #expect(thrownError { _ = try decodePNM(Self.file("P5 3 2 255\n", [UInt8](repeating: 0, count: 6)), maxPixels: 5) }
                == .tooLarge(width: 3, height: 2, limit: 5))
    }

    @Test func everyPrefixAndRandomFlipsFailCleanly() {
        var rng = TestRandom(seed: 5)
        let samples = [
            Self.file("P6\n# c\n3 2\n255\n", Array(1...18)),
            Self.file("P5 3 2 65535\n", Self.be16([1, 2, 3, 60000, 5, 6])),
            Self.file("P3 2 1 255 1 2 3 4 5 6\n"),
        ]
        for bytes in samples {
            for cut in 0..<bytes.count - 1 {
                let error = thrownError { _ = try decodePNM(Array(bytes[..<cut])) }
                #expect(error != nil, "prefix of \(cut) bytes")
            }
            for _ in 0..<300 {
                var broken = bytes
                broken[Int.random(in: 1..<broken.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                do {
                    let (image, _) = try decodePNM(broken, maxPixels: 1 << 16)
                    #expect(image.pixels.count == image.width * image.height * 3)
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }
}
