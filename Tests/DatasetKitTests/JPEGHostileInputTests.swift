import Foundation
import Testing
@testable import DatasetKit

/// JPEGs that are valid but not decodable here, or built to stall a decoder: each is refused
/// with a reason a user can act on, quickly.
@Suite struct JPEGHostileInputTests {
    /// A small progressive JPEG whose last scan (an AC refinement) is repeated until the file
    /// holds `scans` scans: libjpeg accepts the repeats with a warning, so only a scan limit
    /// stops them. (A 1.4 MB file of 50 000 such scans took 81 s to decode.)
    static func manyScans(_ scans: Int) -> [UInt8] {
        let jpeg = JPEGFixtures.encode(TestImages.gradient(width: 16, height: 16), kind: .progressive)
        let sos = markerOffsets(jpeg, 0xDA)
        let end = jpeg.count - 2
        precondition(jpeg[end] == 0xFF && jpeg[end + 1] == 0xD9 && sos.count >= 2 && sos.count < scans)
        let last = Array(jpeg[sos.last!..<end])
        return Array(jpeg[..<end]) + Array([[UInt8]](repeating: last, count: scans - sos.count).joined()) + [0xFF, 0xD9]
    }

    /// Offsets of every `FF <marker>` in `jpeg` (entropy-coded data stuffs FF as FF 00, so it
    /// never looks like a marker).
    static func markerOffsets(_ jpeg: [UInt8], _ marker: UInt8) -> [Int] {
        (0..<(jpeg.count - 1)).filter { jpeg[$0] == 0xFF && jpeg[$0 + 1] == marker }
    }

    @Test func aProgressiveJPEGOfTooManyScansIsRefusedQuickly() throws {
        let hostile = Self.manyScans(600)
        #expect(Self.markerOffsets(hostile, 0xDA).count == 600)
        let start = Date()
        #expect(throws: ImageError.tooManyScans(limit: InputLimits.defaultMaxJPEGScans)) { try ImageDecoder.decode(hostile) }
        #expect(throws: ImageError.tooManyScans(limit: 500)) { _ = try ImageDecoder.decodeYCbCr(hostile) }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(ImageError.tooManyScans(limit: 500).description.hasPrefix("too many scans (limit 500)"))
        // Under the limit the same construction still decodes (with libjpeg's warning).
        #expect(try ImageDecoder.decode(Self.manyScans(400)).image.width == 16)
    }

    /// `--max-scans` moves the limit either way: TurboJPEG's own guard (fixed at 500) is only
    /// the second line.
    @Test func theScanLimitCanBeLoweredAndRaised() throws {
        let file = Self.manyScans(600)
        #expect(throws: ImageError.tooManyScans(limit: 100)) {
            try ImageDecoder.decode(Self.manyScans(150), options: DecodeOptions(maxJPEGScans: 100))
        }
        #expect(try ImageDecoder.decode(file, options: DecodeOptions(maxJPEGScans: 1_000)).image.width == 16)
        #expect(try ImageDecoder.decodeYCbCr(file, options: DecodeOptions(maxJPEGScans: 600))?.image.width == 16)
    }

    @Test func scansAreCountedWithoutDecoding() {
        let image = TestImages.gradient(width: 24, height: 16)
        for kind in [JPEGFixtures.Kind.progressive, .baseline420, .grayscale] {
            let jpeg = JPEGFixtures.encode(image, kind: kind)
            let count = jpeg.withUnsafeBytes { JPEGScanCount.count($0, upTo: 1_000) }
            #expect(count == Self.markerOffsets(jpeg, 0xDA).count, "\(kind)")
        }
        let hostile = Self.manyScans(600)
        #expect(hostile.withUnsafeBytes { JPEGScanCount.count($0, upTo: 1_000) } == 600)
        #expect(hostile.withUnsafeBytes { JPEGScanCount.count($0, upTo: 10) } == 11)  // stops once over
        #expect(Array(hostile.prefix(hostile.count / 2)).withUnsafeBytes { JPEGScanCount.count($0, upTo: 1_000) } < 600)
    }

    /// SOI, a SOF1 frame header of 12-bit precision (16x16, one component), EOI: all the
    /// decoder reads before deciding.
    static let twelveBitHeader: [UInt8] = [0xFF, 0xD8,
                                           0xFF, 0xC1, 0x00, 0x0B, 12, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00,
                                           0xFF, 0xD9]

    @Test func twelveBitJPEGsAreUnsupportedNotCorrupt() throws {
        #expect(throws: ImageError.unsupportedPrecision(bits: 12)) { try ImageDecoder.decode(Self.twelveBitHeader) }
        #expect(throws: ImageError.unsupportedPrecision(bits: 12)) { _ = try ImageDecoder.decodeYCbCr(Self.twelveBitHeader) }
        #expect(ImageError.unsupportedPrecision(bits: 12).description.hasPrefix("12-bit JPEG: not supported"))
        // A whole file with a 12-bit frame after other segments (JFIF, tables) says the same.
        var jpeg = JPEGFixtures.encode(TestImages.gradient(width: 16, height: 16), kind: .baseline420)
        let sof = try #require(Self.markerOffsets(jpeg, 0xC0).first)
        jpeg[sof + 4] = 12
        #expect(throws: ImageError.unsupportedPrecision(bits: 12)) { try ImageDecoder.decode(jpeg) }
    }

    @Test func theFrameHeaderIsFoundPastOtherSegmentsAndNotInsideThem() {
        let jpeg = JPEGFixtures.withOrientation(JPEGFixtures.encode(TestImages.gradient(width: 8, height: 8), kind: .progressive), 6)
        let frame = jpeg.withUnsafeBytes { JPEGFrameHeader($0) }
        #expect(frame?.marker == 0xC2 && frame?.precision == 8)
        // Damaged or cut-off headers give no frame (TurboJPEG then says what is wrong).
        for bad in [Array(jpeg.prefix(3)), [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01], [0xFF, 0xD8, 0x00, 0x00], [0xFF, 0xD8, 0xFF, 0xDA, 0, 4]] {
            #expect(bad.withUnsafeBytes { JPEGFrameHeader($0) } == nil, "\(bad)")
        }
    }
}
