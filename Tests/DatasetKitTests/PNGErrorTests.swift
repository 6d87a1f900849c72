import Testing
@testable import DatasetKit

/// Bad, cut and hostile PNG input must give a clear error, never a crash or a wrong image.
@Suite struct PNGErrorTests {
    static let sample: RawPNGWriter = {
        var w = RawPNGWriter(width: 6, height: 5, colorType: .rgba, bitDepth: 8, samples: [])
        w.samples = (0..<(6 * 5 * 4)).map { ($0 * 37) % 256 }
        return w
    }()

    /// Byte offset where chunk `type` starts (its length field).
    static func chunkOffset(_ bytes: [UInt8], _ type: String) -> Int {
        var at = 8
        while at + 8 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            if String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self) == type { return at }
            at += 12 + length
        }
        return -1
    }

    @Test func emptyAndTooSmallInput() {
        #expect(thrownError { _ = try decodePNG([]) } == .empty)
        #expect(thrownError { _ = try decodePNG([0x89, 0x50, 0x4E]) }?.kind == .truncated)
        #expect(thrownError { _ = try decodePNG(Array(PNGCodec.signature)) }?.kind == .truncated)
        #expect(thrownError { _ = try decodePNG(Array("hello, world".utf8)) }?.kind == .corrupt)
    }

    @Test func cutInsideImageDataIsTruncated() throws {
        let bytes = Self.sample.bytes()
        let idat = Self.chunkOffset(bytes, "IDAT")
        let error = thrownError { _ = try decodePNG(Array(bytes[..<(idat + 40)])) }
        #expect(error?.kind == .truncated)
        #expect(error?.description.hasPrefix("truncated PNG: the file") == true)
    }

    @Test func everyPrefixFailsCleanlyOrDecodesCorrectly() throws {
        let bytes = Self.sample.bytes()
        let full = try decodePNG(bytes).0
        let iend = Self.chunkOffset(bytes, "IEND")
        for cut in 0..<bytes.count {
            do {
                let image = try decodePNG(Array(bytes[..<cut])).0
                // Only the trailing IEND may be missing from an image that still decodes.
                #expect(cut >= iend - 4 && image == full, "prefix of \(cut) bytes")
            } catch {
                #expect([.empty, .truncated, .corrupt].contains(error.kind), "prefix of \(cut) bytes: \(error)")
            }
        }
    }

    @Test func badCRCsAreCorrupt() {
        var header = Self.sample.bytes()
        header[8 + 8 + 13] ^= 0xFF  // first byte of the IHDR CRC
        let headerError = thrownError { _ = try decodePNG(header) }
        #expect(headerError?.kind == .corrupt)
        #expect(headerError?.description.contains("CRC") == true)

        var data = Self.sample.bytes()
        data[Self.chunkOffset(data, "IEND") - 1] ^= 0x01  // last byte of the IDAT CRC
        #expect(thrownError { _ = try decodePNG(data) }?.kind == .corrupt)
    }

    @Test func garbageAfterTheHeaderIsCorrupt() {
        var bytes = Self.sample.bytes()
        let idat = Self.chunkOffset(bytes, "IDAT")
        // Replace the zlib stream with noise but keep a valid chunk CRC, so zlib itself objects.
        var rng = TestRandom(seed: 9)
        for i in (idat + 8)..<(bytes.count - 16) { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let length = Int(bytes[idat]) << 24 | Int(bytes[idat + 1]) << 16 | Int(bytes[idat + 2]) << 8 | Int(bytes[idat + 3])
        let crc = RawPNGWriter.crc32(Array(bytes[(idat + 4)..<(idat + 8 + length)]))
        bytes.replaceSubrange((idat + 8 + length)..<(idat + 12 + length), with: RawPNGWriter.be32(Int(crc)))
        #expect(thrownError { _ = try decodePNG(bytes) }?.kind == .corrupt)

        let junk = PNGCodec.signature + (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(thrownError { _ = try decodePNG(junk) }?.kind == .corrupt)
    }

    @Test func randomByteFlipsNeverCrash() {
        var rng = TestRandom(seed: 2024)
        for type in RawPNGWriter.ColorType.allCases {
            var w = PNGDecoderTests.randomWriter(type, 8, width: 9, height: 7)
            w.interlaced = type == .rgb
            let bytes = w.bytes()
            for _ in 0..<150 {
                var broken = bytes
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    broken[Int.random(in: 8..<broken.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                do {
                    let (image, _) = try decodePNG(broken, maxPixels: 1 << 20)
                    #expect(image.pixels.count == image.width * image.height * 3)
                } catch {
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }

    @Test func pixelLimitIsCheckedFromTheHeader() throws {
        // A header claiming 100000x100000 with no image data at all: refused before any read.
        var bytes = PNGCodec.signature
        RawPNGWriter.chunk("IHDR", RawPNGWriter.be32(100_000) + RawPNGWriter.be32(100_000) + [8, 2, 0, 0, 0], into: &bytes)
        #expect(thrownError { _ = try decodePNG(bytes, maxPixels: 1_000_000) }
                == .tooLarge(width: 100_000, height: 100_000, limit: 1_000_000))

        let small = Self.sample.bytes()  // 6x5 = 30 pixels
        #expect(thrownError { _ = try decodePNG(small, maxPixels: 29) } == .tooLarge(width: 6, height: 5, limit: 29))
        #expect(try decodePNG(small, maxPixels: 30).0.width == 6)
    }

    @Test func zeroSizeIsUnsupported() {
        var bytes = PNGCodec.signature
        RawPNGWriter.chunk("IHDR", RawPNGWriter.be32(0) + RawPNGWriter.be32(4) + [8, 2, 0, 0, 0], into: &bytes)
        RawPNGWriter.chunk("IEND", [], into: &bytes)
        let error = thrownError { _ = try decodePNG(bytes) }
        #expect(error?.kind == .unsupported)
        #expect(error?.description.contains("0x4") == true)
    }

    @Test func invalidHeaderFieldsAreCorrupt() {
        // Bit depth 3 does not exist; colour type 3 with 16 bits is illegal.
        for fields in [[3, 0], [16, 3], [8, 5]] as [[UInt8]] {
            var bytes = PNGCodec.signature
            RawPNGWriter.chunk("IHDR", RawPNGWriter.be32(4) + RawPNGWriter.be32(4) + fields + [0, 0, 0], into: &bytes)
            RawPNGWriter.chunk("IEND", [], into: &bytes)
            #expect(thrownError { _ = try decodePNG(bytes) }?.kind == .corrupt, "\(fields)")
        }
    }
}
