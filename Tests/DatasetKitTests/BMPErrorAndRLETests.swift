import Testing
@testable import DatasetKit

@Suite struct BMPRLETests {
    static let palette: [(UInt8, UInt8, UInt8)] = (0..<16).map { (i: Int) -> (UInt8, UInt8, UInt8) in
        let v = UInt8(i * 16)
        return (v, 255 - v, UInt8(i))
    }
    static func color(_ i: Int) -> [UInt8] { [palette[i].0, palette[i].1, palette[i].2] }

    @Test func rle8RunsLiteralsDeltaAndEnd() throws {
        // Stored bottom row first.
        let stream: [UInt8] = [
            3, 1, 0, 3, 2, 3, 4, 0, 0, 0,  // row 0: run 1x3, literal 2 3 4 (padded), end of line
            2, 5, 0, 2, 2, 0, 2, 6, 0, 0,  // row 1: run 5x2, delta +2, run 6x2, end of line
            6, 7, 0, 1,                    // row 2: run 7x6, end of bitmap
        ]
        let w = RawBMPWriter(width: 6, height: 3, bitsPerPixel: 8, compression: 1, palette: Self.palette, rawData: stream)
        let (image, model) = try decodeBMP(w.bytes())
        // Skipped pixels take palette entry 0.
        let top = [Int](repeating: 7, count: 6), middle = [5, 5, 0, 0, 6, 6], bottom = [1, 1, 1, 2, 3, 4]
        #expect(image.pixels == (top + middle + bottom).flatMap(Self.color))
        #expect(model == ColorModel(.palette, bitDepth: 8))
    }

    @Test func rle4RunsAndLiterals() throws {
        let stream: [UInt8] = [
            5, 0x12, 0, 3, 0x34, 0x50, 0, 0, // row 0: 1 2 1 2 1, literal 3 4 5, EOL
            0, 5, 0x56, 0x78, 0x90, 0, 2, 0xAB, 0, 1  // row 1: literal 5 6 7 8 9 (3 bytes, padded), run A B, end
        ]
        let w = RawBMPWriter(width: 8, height: 2, bitsPerPixel: 4, compression: 2, palette: Self.palette, rawData: stream)
        let (image, model) = try decodeBMP(w.bytes())
        #expect(image.pixels == ([5, 6, 7, 8, 9, 10, 11, 0] + [1, 2, 1, 2, 1, 3, 4, 5]).flatMap(Self.color))
        #expect(model == ColorModel(.palette, bitDepth: 4))
    }

    @Test func rleCutShortIsTruncated() {
        let stream: [UInt8] = [3, 1, 0, 0, 3, 2]  // two of four rows
        let w = RawBMPWriter(width: 3, height: 4, bitsPerPixel: 8, compression: 1, palette: Self.palette, rawData: stream)
        #expect(thrownError { _ = try decodeBMP(w.bytes()) }?.kind == .truncated)
        let literal = RawBMPWriter(width: 8, height: 1, bitsPerPixel: 8, compression: 1, palette: Self.palette,
                                   rawData: [0, 8, 1, 2, 3])  // literal of 8 with 3 bytes present
        #expect(thrownError { _ = try decodeBMP(literal.bytes()) }?.kind == .truncated)
    }
}

@Suite struct BMPErrorTests {
    static func header(width: Int, height: Int, bits: Int, compression: UInt32 = 0) -> [UInt8] {
        RawBMPWriter(width: width, height: height, bitsPerPixel: bits, compression: compression).bytes()
    }

    @Test func emptyTinyAndForeignInput() {
        #expect(thrownError { _ = try decodeBMP([]) } == .empty)
        #expect(thrownError { _ = try decodeBMP(Array("BM".utf8)) }?.kind == .truncated)
        #expect(thrownError { _ = try decodeBMP(Array("BA hello there, world".utf8)) }?.kind == .corrupt)
    }

    @Test func cutPixelDataIsTruncated() {
        let bytes = BMPDecoderTests.bgr(5, 4).0.bytes()
        let error = thrownError { _ = try decodeBMP(Array(bytes.dropLast(20))) }
        #expect(error?.kind == .truncated)
        #expect(error?.description.contains("pixel data") == true)
        #expect(thrownError { _ = try decodeBMP(Array(bytes.prefix(30))) }?.kind == .truncated)
    }

    @Test func everyPrefixFailsCleanly() throws {
        let (w, expected) = BMPDecoderTests.bgr(5, 4)
        let bytes = w.bytes()
        for cut in 0..<bytes.count {
            do {
                // Only the final row's padding (1 byte) may be missing.
                let image = try decodeBMP(Array(bytes[..<cut])).0
                #expect(cut == bytes.count - 1 && image == expected, "prefix of \(cut) bytes")
            } catch {
                #expect([.empty, .truncated].contains(error.kind), "prefix of \(cut) bytes: \(error)")
            }
        }
    }

    @Test func randomByteFlipsNeverCrash() {
        var rng = TestRandom(seed: 77)
        let palette: [(UInt8, UInt8, UInt8)] = [(1, 2, 3), (4, 5, 6)]
        let samples = [
            BMPDecoderTests.bgr(7, 5).0.bytes(),
            RawBMPWriter(width: 9, height: 3, bitsPerPixel: 4, rows: Array(repeating: [0x01, 0x10, 0x11, 0, 1], count: 3),
                         palette: palette).bytes(),
            RawBMPWriter(width: 6, height: 3, bitsPerPixel: 8, compression: 1, palette: palette,
                         rawData: [3, 1, 0, 3, 0, 1, 1, 0, 0, 0, 2, 1, 0, 1]).bytes(),
            RawBMPWriter(width: 4, height: 2, bitsPerPixel: 32, rows: Array(repeating: [UInt8](repeating: 0x80, count: 16), count: 2),
                         infoSize: 124, compression: 3, masks: [0xFF0000, 0xFF00, 0xFF, 0xFF00_0000]).bytes(),
        ]
        for bytes in samples {
            for _ in 0..<300 {
                var broken = bytes
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    broken[Int.random(in: 2..<broken.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                do {
                    let (image, _) = try decodeBMP(broken, maxPixels: 1 << 20)
                    #expect(image.pixels.count == image.width * image.height * 3)
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }

    @Test func unsupportedFeatures() {
        for (bytes, words) in [
            (Self.header(width: 4, height: 4, bits: 24, compression: 4), "JPEG"),
            (Self.header(width: 4, height: 4, bits: 24, compression: 5), "PNG"),
            (Self.header(width: 0, height: 4, bits: 24), "0x4"),
            (Self.header(width: 4, height: 4, bits: 64), "64 bits"),
        ] {
            let error = thrownError { _ = try decodeBMP(bytes) }
            #expect(error?.kind == .unsupported, "\(words)")
            #expect(error?.description.contains(words) == true, "\(error?.description ?? "no error")")
        }
    }

    @Test func invalidFieldsAreCorrupt() {
        #expect(thrownError { _ = try decodeBMP(Self.header(width: 4, height: 4, bits: 7)) }?.kind == .corrupt)
        #expect(thrownError { _ = try decodeBMP(Self.header(width: -4, height: 4, bits: 24)) }?.kind == .corrupt)
        // RLE8 needs 8 bits per pixel; bit fields need 16 or 32.
        #expect(thrownError { _ = try decodeBMP(Self.header(width: 4, height: 4, bits: 24, compression: 1)) }?.kind == .corrupt)
        #expect(thrownError { _ = try decodeBMP(Self.header(width: 4, height: 4, bits: 8, compression: 3)) }?.kind == .corrupt)
    }

    @Test func pixelLimitIsCheckedFromTheHeader() throws {
        #expect(thrownError { _ = try decodeBMP(Self.header(width: 50_000, height: -50_000, bits: 24), maxPixels: 1_000_000) }
                == .tooLarge(width: 50_000, height: 50_000, limit: 1_000_000))
        let small = BMPDecoderTests.bgr(5, 4).0.bytes()
        #expect(thrownError { _ = try decodeBMP(small, maxPixels: 19) } == .tooLarge(width: 5, height: 4, limit: 19))
        #expect(try decodeBMP(small, maxPixels: 20).0.height == 4)
    }
}
