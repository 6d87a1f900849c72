import Testing
@testable import DatasetKit

/// The case of an `ImageError`, for expectations that do not care about the message.
enum ErrorKind: Equatable {
    case empty, unknownFormat, truncated, corrupt, unsupported, tooLarge, outputTooLarge, unsupportedPrecision, tooManyScans, encodeFailed
}

extension ImageError {
    var kind: ErrorKind {
        switch self {
        case .empty: .empty
        case .unknownFormat: .unknownFormat
        case .truncated: .truncated
        case .corrupt: .corrupt
        case .unsupported: .unsupported
        case .tooLarge: .tooLarge
        case .outputTooLarge: .outputTooLarge
        case .unsupportedPrecision: .unsupportedPrecision
        case .tooManyScans: .tooManyScans
        case .encodeFailed: .encodeFailed
        }
    }
}

/// The `ImageError` that `body` throws, or nil if it succeeds. (Closures do not infer typed
/// throws yet, so this takes an untyped one; any other error is a test failure.)
func thrownError(_ body: () throws -> Void) -> ImageError? {
    do {
        try body()
        return nil
    } catch let error as ImageError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

func decodePNG(_ bytes: [UInt8], background: RGBColor = .white,
               maxPixels: Int = 100_000_000) throws(ImageError) -> (RGBImage, ColorModel) {
    try bytes.withUnsafeBufferPointer { buffer throws(ImageError) in
        try PNGCodec.decode(UnsafeRawBufferPointer(buffer), background: background, maxPixels: maxPixels)
    }
}

func decodeBMP(_ bytes: [UInt8], background: RGBColor = .white,
               maxPixels: Int = 100_000_000) throws(ImageError) -> (RGBImage, ColorModel) {
    try bytes.withUnsafeBufferPointer { buffer throws(ImageError) in
        try BMPDecoder.decode(UnsafeRawBufferPointer(buffer), background: background, maxPixels: maxPixels)
    }
}

func decodePNM(_ bytes: [UInt8], maxPixels: Int = 100_000_000) throws(ImageError) -> (RGBImage, ColorModel) {
    try bytes.withUnsafeBufferPointer { buffer throws(ImageError) in
        try PNMDecoder.decode(UnsafeRawBufferPointer(buffer), maxPixels: maxPixels)
    }
}

/// Independent restatements of the documented arithmetic, so tests do not call the code under test.
enum Expected {
    static func reduce16(_ v: Int) -> UInt8 { UInt8((v * 255 + 32767) / 65535) }
    static func scale(_ v: Int, bits: Int) -> UInt8 { scale(v, max: (1 << bits) - 1) }
    static func scale(_ v: Int, max: Int) -> UInt8 { UInt8((v * 255 + max / 2) / max) }
    static func over(_ c: Int, _ a: Int, _ bg: UInt8) -> UInt8 { UInt8((c * a + Int(bg) * (255 - a) + 127) / 255) }
    static func over16(_ c: Int, _ a: Int, _ bg: UInt8) -> UInt8 {
        let d = 65535 * 257
        return UInt8((c * a + Int(bg) * 257 * (65535 - a) + d / 2) / d)
    }
    /// An image whose pixel (x, y) is `color(x, y)`.
    static func image(_ width: Int, _ height: Int, _ color: (Int, Int) -> RGBColor) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        for y in 0..<height { for x in 0..<width { image[x, y] = color(x, y) } }
        return image
    }
}

/// A small deterministic generator (SplitMix64) so fuzz-style tests are reproducible.
struct TestRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
