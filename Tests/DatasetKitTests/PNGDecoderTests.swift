import Testing
@testable import DatasetKit

/// Decoder tests against fixtures from `RawPNGWriter`, with expected pixels computed here from
/// the samples (never by the decoder's own helpers).
@Suite struct PNGDecoderTests {
    typealias CT = RawPNGWriter.ColorType
    static let custom = RGBColor(red: 10, green: 200, blue: 77)

    static var allTypesAndDepths: [(CT, Int)] {
        CT.allCases.flatMap { type in RawPNGWriter.depths(type).map { (type, $0) } }
    }

    /// A writer filled with random samples (and a full random palette for palette images).
    static func randomWriter(_ type: CT, _ depth: Int, width: Int = 13, height: Int = 7, seed: UInt64 = 1) -> RawPNGWriter {
        var rng = TestRandom(seed: seed &+ UInt64(type.rawValue) &* 100 &+ UInt64(depth))
        var w = RawPNGWriter(width: width, height: height, colorType: type, bitDepth: depth, samples: [])
        w.samples = (0..<(width * height * w.channels)).map { _ in Int.random(in: 0..<(1 << depth), using: &rng) }
        if type == .palette {
            w.palette = (0..<(1 << depth)).map { _ in (UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng), UInt8.random(in: 0...255, using: &rng)) }
        }
        return w
    }

    /// What the decoder must produce, from the documented by-value rules.
    static func oracle(_ w: RawPNGWriter, background bg: RGBColor) -> RGBImage {
        let d = w.bitDepth
        func eight(_ v: Int) -> UInt8 { d == 16 ? Expected.reduce16(v) : Expected.scale(v, bits: d) }
        func over(_ c: Int, _ a: Int, _ b: UInt8) -> UInt8 {
            d == 16 ? Expected.over16(c, a, b) : Expected.over(c, a, b)
        }
        let trnsValues: [Int] = w.trns.map { t in stride(from: 0, to: t.count - 1, by: 2).map { Int(t[$0]) << 8 | Int(t[$0 + 1]) } } ?? []
        return Expected.image(w.width, w.height) { x, y in
            let i = (y * w.width + x) * w.channels
            let s = Array(w.samples[i..<(i + w.channels)])
            switch w.colorType {
            case .gray:
                if w.trns != nil && s[0] == trnsValues[0] { return bg }
                return RGBColor(gray: eight(s[0]))
            case .rgb:
                if w.trns != nil && s == trnsValues { return bg }
                return RGBColor(red: eight(s[0]), green: eight(s[1]), blue: eight(s[2]))
            case .palette:
                let p = w.palette[s[0]]
                let a = w.trns.map { s[0] < $0.count ? Int($0[s[0]]) : 255 } ?? 255
                return RGBColor(red: Expected.over(Int(p.0), a, bg.red), green: Expected.over(Int(p.1), a, bg.green),
                                blue: Expected.over(Int(p.2), a, bg.blue))
            case .grayAlpha:
                return RGBColor(red: over(s[0], s[1], bg.red), green: over(s[0], s[1], bg.green), blue: over(s[0], s[1], bg.blue))
            case .rgba:
                return RGBColor(red: over(s[0], s[3], bg.red), green: over(s[1], s[3], bg.green), blue: over(s[2], s[3], bg.blue))
            }
        }
    }

    @Test func fixtureWriterChecksumsAreStandard() {
        #expect(RawPNGWriter.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(RawPNGWriter.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test(arguments: allTypesAndDepths)
    func decodesEveryColorTypeAndDepth(_ type: CT, _ depth: Int) throws {
        let w = Self.randomWriter(type, depth)
        let (image, model) = try decodePNG(w.bytes(), background: Self.custom)
        #expect(image == Self.oracle(w, background: Self.custom))
        let channels: [CT: ColorModel.Channels] = [.gray: .gray, .rgb: .rgb, .palette: .palette, .grayAlpha: .grayAlpha, .rgba: .rgba]
        #expect(model == ColorModel(channels[type]!, bitDepth: depth))
    }

    @Test func lowBitGrayExpandsByValue() throws {
        // 1-bit: 0, 255. 2-bit: 0, 85, 170, 255. 4-bit: v * 17.
        for (depth, values) in [(1, [0, 1]), (2, [0, 1, 2, 3]), (4, [0, 5, 15])] {
            let w = RawPNGWriter(width: values.count, height: 1, colorType: .gray, bitDepth: depth, samples: values)
            let (image, _) = try decodePNG(w.bytes())
            #expect(image.pixels == values.flatMap { v in Array(repeating: UInt8(v * 255 / ((1 << depth) - 1)), count: 3) })
        }
    }

    @Test func sixteenBitReducesByValue() throws {
        // v / 257 rounded: 0x7FFF is 127.498 -> 127, 0x807F is 127.996 -> 128, 0x0081 is 0.502 -> 1.
        let values = [0x0000, 0x0101, 0x8080, 0xFFFF, 0x807F, 0x7FFF, 0x0080, 0x0081]
        let w = RawPNGWriter(width: values.count, height: 1, colorType: .gray, bitDepth: 16, samples: values)
        let (image, model) = try decodePNG(w.bytes())
        #expect(image.pixels.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) == [0, 1, 128, 255, 128, 127, 0, 1])
        #expect(model == ColorModel(.gray, bitDepth: 16))
        // Gray expands to R = G = B.
        #expect(image[2, 0] == RGBColor(gray: 128))
    }

    @Test(arguments: [1, 2, 4, 8])
    func paletteWithTransparency(_ depth: Int) throws {
        var w = Self.randomWriter(.palette, depth, width: 17, height: 5)
        w.samples = w.samples.indices.map { $0 % (1 << depth) }  // use every index
        let count = max(1, (1 << depth) - 1)                      // tRNS shorter than PLTE
        w.trns = (0..<count).map { UInt8(($0 * 97 + 3) % 256) }
        w.trns![0] = 0
        for bg in [RGBColor.white, Self.custom] {
            let (image, model) = try decodePNG(w.bytes(), background: bg)
            #expect(image == Self.oracle(w, background: bg))
            #expect(image[0, 0] == bg)  // index 0 is fully transparent
            #expect(model == ColorModel(.paletteAlpha, bitDepth: depth))
        }
    }

    @Test(arguments: [1, 2, 4, 8, 16])
    func grayTransparencyKey(_ depth: Int) throws {
        var gray = Self.randomWriter(.gray, depth)
        gray.trns = RawPNGWriter.trnsGray(gray.samples[3])
        let (g, gm) = try decodePNG(gray.bytes(), background: Self.custom)
        #expect(g == Self.oracle(gray, background: Self.custom))
        #expect(g[3, 0] == Self.custom)
        #expect(gm == ColorModel(.grayAlpha, bitDepth: depth))
    }

    @Test(arguments: [8, 16])
    func rgbTransparencyKey(_ depth: Int) throws {
        var rgb = Self.randomWriter(.rgb, depth)
        rgb.trns = RawPNGWriter.trnsRGB(rgb.samples[0], rgb.samples[1], rgb.samples[2])
        let (c, cm) = try decodePNG(rgb.bytes(), background: Self.custom)
        #expect(c == Self.oracle(rgb, background: Self.custom))
        #expect(c[0, 0] == Self.custom)
        #expect(cm == ColorModel(.rgba, bitDepth: depth))
    }

    @Test func rgbaCompositesByValueOverWhiteAndCustom() throws {
        // Every alpha value, with a fixed colour.
        let w = RawPNGWriter(width: 256, height: 1, colorType: .rgba, bitDepth: 8,
                             samples: (0..<256).flatMap { [200, 100, 0, $0] })
        for bg in [RGBColor.white, Self.custom] {
            let (image, model) = try decodePNG(w.bytes(), background: bg)
            #expect(image == Self.oracle(w, background: bg))
            #expect(image[0, 0] == bg)
            #expect(image[255, 0] == RGBColor(red: 200, green: 100, blue: 0))
            #expect(model == ColorModel(.rgba))
        }
        // Alpha 128 over white: (200*128 + 255*127 + 127) / 255 = 227, (100*128 + ...) / 255 = 177.
        let (white, _) = try decodePNG(w.bytes(), background: .white)
        #expect(white[128, 0] == RGBColor(red: 227, green: 177, blue: 127))
    }

    @Test func sixteenBitAlphaCompositesAtFullPrecision() throws {
        let samples = [0xFFFF, 0x0000, 0x8080, 0x0000, 0x1234, 0xFFFF, 0xFFFF, 0x8000, 0xABCD, 0x4321]
        let w = RawPNGWriter(width: 5, height: 1, colorType: .grayAlpha, bitDepth: 16, samples: samples)
        let (image, model) = try decodePNG(w.bytes(), background: Self.custom)
        #expect(image[0, 0] == Self.custom)                          // alpha 0
        #expect(image[2, 0] == RGBColor(gray: Expected.reduce16(0x1234)))  // opaque = plain reduction
        #expect(image == Self.oracle(w, background: Self.custom))
        #expect(model == ColorModel(.grayAlpha, bitDepth: 16))
    }

    @Test func colourChunksNeverChangeValues() throws {
        let gama = RawPNGWriter.be32(45455), linear = RawPNGWriter.be32(100_000)
        // A syntactically valid iCCP whose profile is junk: libpng must warn and move on.
        let iccp = Array("junk".utf8) + [0, 0] + RawPNGWriter.zlibStored([UInt8](repeating: 7, count: 200))
        for (type, depth) in [(CT.gray, 16), (.rgb, 16), (.rgba, 16), (.rgb, 8), (.grayAlpha, 8), (.palette, 4)] {
            let plain = Self.randomWriter(type, depth)
            let expected = try decodePNG(plain.bytes(), background: Self.custom).0
            #expect(expected == Self.oracle(plain, background: Self.custom))
            for chunks in [[("gAMA", gama)], [("gAMA", linear)], [("sRGB", [0]), ("gAMA", gama)], [("iCCP", iccp)]] {
                var tagged = plain
                tagged.ancillary = chunks.map { (type: $0.0, data: $0.1) }
                #expect(try decodePNG(tagged.bytes(), background: Self.custom).0 == expected)
            }
        }
    }

    @Test(arguments: allTypesAndDepths)
    func interlacedMatchesNonInterlaced(_ type: CT, _ depth: Int) throws {
        for (width, height) in [(1, 1), (3, 2), (13, 11), (9, 17), (33, 5)] {
            var w = Self.randomWriter(type, depth, width: width, height: height, seed: UInt64(width * height))
            if type == .palette { w.trns = [0, 128] }
            let flat = try decodePNG(w.bytes(), background: Self.custom)
            w.interlaced = true
            let adam7 = try decodePNG(w.bytes(), background: Self.custom)
            #expect(adam7.0 == flat.0, "\(type) \(depth)-bit \(width)x\(height)")
            #expect(adam7.0 == Self.oracle(w, background: Self.custom))
            #expect(adam7.1 == flat.1)
        }
    }

    @Test func manySmallIDATChunks() throws {
        var w = Self.randomWriter(.rgb, 8, width: 40, height: 30)
        let whole = try decodePNG(w.bytes()).0
        w.idatSize = 7
        #expect(try decodePNG(w.bytes()).0 == whole)
        #expect(whole == Self.oracle(w, background: .white))
    }

    @Test func largerRGB8DecodesStraightIntoTheOutput() throws {
        var w = Self.randomWriter(.rgb, 8, width: 301, height: 67)
        #expect(try decodePNG(w.bytes()).0 == Self.oracle(w, background: .white))
        w.interlaced = true
        #expect(try decodePNG(w.bytes()).0 == Self.oracle(w, background: .white))
    }
}
