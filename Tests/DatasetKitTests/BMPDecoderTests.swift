import Testing
@testable import DatasetKit

@Suite struct BMPDecoderTests {
    static let custom = RGBColor(red: 10, green: 200, blue: 77)

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = TestRandom(seed: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// A 24-bit writer and the image it holds.
    static func bgr(_ width: Int, _ height: Int, seed: UInt64 = 1) -> (RawBMPWriter, RGBImage) {
        let rows = (0..<height).map { randomBytes(width * 3, seed: seed &+ UInt64($0)) }
        let image = Expected.image(width, height) { x, y in
            RGBColor(red: rows[y][3 * x + 2], green: rows[y][3 * x + 1], blue: rows[y][3 * x])
        }
        return (RawBMPWriter(width: width, height: height, bitsPerPixel: 24, rows: rows), image)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 7])
    func twentyFourBitBottomUpAndTopDown(_ width: Int) throws {
        var (w, expected) = Self.bgr(width, 3)
        let (image, model) = try decodeBMP(w.bytes())
        #expect(image == expected)
        #expect(model == ColorModel(.rgb))
        w.topDown = true
        #expect(try decodeBMP(w.bytes()).0 == expected)
        w.omitLastPadding = true
        #expect(try decodeBMP(w.bytes()).0 == expected)
    }

    @Test(arguments: [1, 2, 4, 8])
    func paletteDepths(_ bits: Int) throws {
        let width = 13, height = 4
        let palette: [(UInt8, UInt8, UInt8)] = (0..<(1 << bits)).map { (i: Int) -> (UInt8, UInt8, UInt8) in
            (UInt8(i * 7 % 256), UInt8(255 - i), UInt8(i * 31 % 256))
        }
        let indices = (0..<height).map { y in (0..<width).map { x in (x * 3 + y) % (1 << bits) } }
        var w = RawBMPWriter(width: width, height: height, bitsPerPixel: bits,
                             rows: indices.map { RawBMPWriter.packIndices($0, bits: bits) }, palette: palette)
        let expected = Expected.image(width, height) { x, y in
            let p = palette[indices[y][x]]
            return RGBColor(red: p.0, green: p.1, blue: p.2)
        }
        let (image, model) = try decodeBMP(w.bytes())
        #expect(image == expected)
        #expect(model == ColorModel(.palette, bitDepth: bits))
        w.topDown = true
        #expect(try decodeBMP(w.bytes()).0 == expected)
    }

    @Test func indicesPastAShortColourTableAreBlack() throws {
        let w = RawBMPWriter(width: 3, height: 1, bitsPerPixel: 8, rows: [[0, 2, 200]],
                             palette: [(1, 2, 3), (4, 5, 6), (7, 8, 9)])
        #expect(try decodeBMP(w.bytes()).0.pixels == [1, 2, 3, 7, 8, 9, 0, 0, 0])
    }

    @Test func sixteenBit555() throws {
        // 5-bit values scale as v * 255 / 31 rounded: 16 -> 132. The top bit is unused.
        let values: [UInt32] = [0x7FFF, 0x7C00, 0x03E0, 0x0010, 0x8000, 0x4210]
        let w = RawBMPWriter(width: 6, height: 1, bitsPerPixel: 16, rows: [.le(values, bytes: 2)])
        let (image, model) = try decodeBMP(w.bytes())
        #expect(image.pixels == [255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 132, 0, 0, 0, 132, 132, 132])
        #expect(model == ColorModel(.rgb, bitDepth: 5))
    }

    @Test func sixteenBitBitfields565() throws {
        // 6-bit green 32 -> (32 * 255 + 31) / 63 = 130.
        let values: [UInt32] = [0xF800, 0x07E0, 0x001F, 0x0400, 0x0010, 0xFFFF, 0x0000]
        for infoSize in [40, 56, 108] {
            let w = RawBMPWriter(width: 7, height: 1, bitsPerPixel: 16, rows: [.le(values, bytes: 2)],
                                 infoSize: infoSize, compression: 3, masks: [0xF800, 0x07E0, 0x001F])
            let (image, model) = try decodeBMP(w.bytes())
            #expect(image.pixels == [255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 130, 0, 0, 0, 132, 255, 255, 255, 0, 0, 0], "header \(infoSize)")
            #expect(model == ColorModel(.rgb, bitDepth: 6))
        }
    }

    @Test func thirtyTwoBitRGBIgnoresTheFourthByte() throws {
        let pixels = Self.randomBytes(5 * 2 * 4, seed: 3)
        let w = RawBMPWriter(width: 5, height: 2, bitsPerPixel: 32,
                             rows: [Array(pixels[0..<20]), Array(pixels[20..<40])])
        let expected = Expected.image(5, 2) { x, y in
            let i = (y * 5 + x) * 4
            return RGBColor(red: pixels[i + 2], green: pixels[i + 1], blue: pixels[i])
        }
        let (image, model) = try decodeBMP(w.bytes(), background: Self.custom)
        #expect(image == expected)
        #expect(model == ColorModel(.rgb))
    }

    /// BGRA pixels with every alpha from 0 to 255 (one row per 16 alphas).
    static func bgraRows() -> (rows: [[UInt8]], alpha: [[Int]]) {
        let alpha = (0..<16).map { y in (0..<16).map { x in y * 16 + x } }
        return (alpha.map { row in row.flatMap { a in [UInt8(a), 100, 200, UInt8(a)] } }, alpha)
    }

    @Test(arguments: [(108, UInt32(3)), (124, 3), (124, 0), (40, 6), (56, 3)])
    func thirtyTwoBitAlphaCompositesOverTheBackground(_ infoSize: Int, _ compression: UInt32) throws {
        let (rows, alpha) = Self.bgraRows()
        let w = RawBMPWriter(width: 16, height: 16, bitsPerPixel: 32, rows: rows, infoSize: infoSize,
                             compression: compression, masks: [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0xFF00_0000])
        for bg in [RGBColor.white, Self.custom] {
            let (image, model) = try decodeBMP(w.bytes(), background: bg)
            let expected = Expected.image(16, 16) { x, y in
                let a = alpha[y][x]
                return RGBColor(red: Expected.over(200, a, bg.red), green: Expected.over(100, a, bg.green),
                                blue: Expected.over(a, a, bg.blue))
            }
            #expect(image == expected, "header \(infoSize), compression \(compression)")
            #expect(image[0, 0] == bg)
            #expect(model == ColorModel(.rgba))
        }
    }

    @Test func allZeroAlphaMeansOpaque() throws {
        let w = RawBMPWriter(width: 2, height: 1, bitsPerPixel: 32, rows: [[1, 2, 3, 0, 4, 5, 6, 0]], infoSize: 124,
                             compression: 3, masks: [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0xFF00_0000])
        let (image, model) = try decodeBMP(w.bytes(), background: Self.custom)
        #expect(image.pixels == [3, 2, 1, 6, 5, 4])
        #expect(model == ColorModel(.rgb))
    }

    @Test func alphaFoundOnlyInALaterRowStillCounts() throws {
        // The top row is transparent but coloured; only the bottom row carries alpha.
        let w = RawBMPWriter(width: 2, height: 2, bitsPerPixel: 32, rows: [[9, 9, 9, 0, 8, 8, 8, 0], [1, 2, 3, 255, 4, 5, 6, 255]],
                             infoSize: 108, compression: 3, masks: [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0xFF00_0000])
        let (image, model) = try decodeBMP(w.bytes(), background: Self.custom)
        #expect(image.pixels == [10, 200, 77, 10, 200, 77] + [3, 2, 1, 6, 5, 4])
        #expect(model == ColorModel(.rgba))
    }

    @Test func unusualMasksScaleByValue() throws {
        // 10-10-10 in the low bits: 1023 -> 255, 512 -> 128, 1 -> 0. Then BGR order masks.
        let ten: [UInt32] = [1023 << 20 | 512 << 10 | 1]
        let w = RawBMPWriter(width: 1, height: 1, bitsPerPixel: 32, rows: [.le(ten, bytes: 4)],
                             compression: 3, masks: [0x3FF0_0000, 0x000F_FC00, 0x0000_03FF])
        let (image, model) = try decodeBMP(w.bytes())
        #expect(image.pixels == [255, 128, 0])
        #expect(model == ColorModel(.rgb, bitDepth: 10))

        let swapped = RawBMPWriter(width: 1, height: 1, bitsPerPixel: 32, rows: [[10, 20, 30, 40]],
                                   compression: 3, masks: [0x0000_00FF, 0x0000_FF00, 0x00FF_0000])
        #expect(try decodeBMP(swapped.bytes()).0.pixels == [10, 20, 30])
    }

    @Test func os2CoreHeader() throws {
        let palette: [(UInt8, UInt8, UInt8)] = [(9, 8, 7), (200, 100, 50)]
        let pal = RawBMPWriter(width: 3, height: 2, bitsPerPixel: 8, rows: [[0, 1, 0], [1, 1, 0]],
                               infoSize: 12, palette: palette)
        #expect(try decodeBMP(pal.bytes()).0.pixels == [9, 8, 7, 200, 100, 50, 9, 8, 7, 200, 100, 50, 200, 100, 50, 9, 8, 7])
        var (w, expected) = Self.bgr(3, 2)
        w.infoSize = 12
        #expect(try decodeBMP(w.bytes()).0 == expected)
    }
}
