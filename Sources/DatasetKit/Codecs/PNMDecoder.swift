/// A pure-Swift decoder for the Netpbm greymap and pixmap formats: P2 (ASCII gray), P3 (ASCII
/// RGB), P5 (binary gray) and P6 (binary RGB), with maxval 1...65535 and `#` comments.
enum PNMDecoder {
    /// Decodes the first image in the file into RGB8; anything after it is ignored.
    ///
    /// Samples are scaled by value, `(v * 255 + maxval / 2) / maxval`, which for maxval 65535 is
    /// the same 16-bit reduction as PNG. Gray expands to R = G = B. A sample above maxval is
    /// `.corrupt`; a file that stops early is `.truncated`.
    static func decode(_ bytes: UnsafeRawBufferPointer, maxPixels: Int) throws(ImageError) -> (RGBImage, ColorModel) {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes[0] == UInt8(ascii: "P") else {
            throw .corrupt(format: .pnm, detail: "the file does not start with a P2, P3, P5 or P6 magic number")
        }
        guard bytes.count >= 3 else {
            throw .truncated(format: .pnm, detail: "the file ends inside the header")
        }
        let magic = bytes[1]
        switch magic {
        case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "5"), UInt8(ascii: "6"): break
        case UInt8(ascii: "1"), UInt8(ascii: "4"):
            throw .unsupported(format: .pnm, detail: "PBM bitmaps (P1/P4) are not supported")
        case UInt8(ascii: "7"):
            throw .unsupported(format: .pnm, detail: "PAM files (P7) are not supported")
        default:
            throw .corrupt(format: .pnm, detail: "the file does not start with a P2, P3, P5 or P6 magic number")
        }
        var scanner = PNMScanner(bytes: bytes, position: 2)
        guard isSpace(bytes[2]) || bytes[2] == UInt8(ascii: "#") else {
            throw .corrupt(format: .pnm, detail: "the magic number is not followed by whitespace")
        }
        let width = try scanner.headerNumber("width")
        let height = try scanner.headerNumber("height")
        try InputLimits(maxPixels: maxPixels).checkPixels(width: width, height: height, format: .pnm)
        let maxValue = try scanner.headerNumber("maxval")
        guard (1...65535).contains(maxValue) else {
            throw .corrupt(format: .pnm, detail: "maxval \(maxValue) is outside 1-65535")
        }
        let gray = magic == UInt8(ascii: "2") || magic == UInt8(ascii: "5")
        let model = ColorModel(gray ? .gray : .rgb, bitDepth: Int.bitWidth - maxValue.leadingZeroBitCount)
        let samples = width * height * (gray ? 1 : 3)

        // Value of each possible sample; entries above maxval are never used (we reject them).
        let lut: [UInt8] = maxValue == 255 ? [] : (0...maxValue).map { ByValue.scale(UInt32($0), maxValue: UInt32(maxValue)) }
        let image: RGBImage
        if magic == UInt8(ascii: "2") || magic == UInt8(ascii: "3") {
            image = try decodeASCII(&scanner, width: width, height: height, gray: gray, samples: samples,
                                    maxValue: maxValue, lut: lut)
        } else {
            // Exactly one whitespace byte separates maxval from the binary data.
            guard scanner.position < bytes.count else {
                throw .truncated(format: .pnm, detail: "the file ends before the pixel data")
            }
            guard isSpace(bytes[scanner.position]) else {
                throw .corrupt(format: .pnm, detail: "maxval is not followed by whitespace")
            }
            let start = scanner.position + 1
            let wide = maxValue > 255
            let needed = samples * (wide ? 2 : 1), available = bytes.count - start
            guard available >= needed else {
                throw .truncated(format: .pnm, detail: "the pixel data has \(available) bytes but \(needed) are needed")
            }
            let src = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + start
            image = try decodeBinary(src, width: width, height: height, gray: gray, wide: wide,
                                     maxValue: maxValue, lut: lut)
        }
        return (image, model)
    }

    private static func decodeBinary(_ src: UnsafePointer<UInt8>, width: Int, height: Int, gray: Bool, wide: Bool,
                                     maxValue: Int, lut: [UInt8]) throws(ImageError) -> RGBImage {
        let count = width * height * 3
        if !gray && maxValue == 255 {
            return RGBImage(width: width, height: height) { $0.baseAddress!.update(from: src, count: count) }
        }
        var largest = 0
        let image = lut.withUnsafeBufferPointer { lut in
            RGBImage(width: width, height: height) { out in
                let d = out.baseAddress!
                @inline(__always) func sample(_ i: Int) -> UInt8 {
                    let v = wide ? Int(src[2 * i]) << 8 | Int(src[2 * i + 1]) : Int(src[i])
                    largest = max(largest, v)
                    return maxValue == 255 ? UInt8(truncatingIfNeeded: v) : lut[min(v, maxValue)]
                }
                if gray {
                    for i in 0..<(width * height) {
                        let v = sample(i)
                        d[3 * i] = v; d[3 * i + 1] = v; d[3 * i + 2] = v
                    }
                } else {
                    for i in 0..<count { d[i] = sample(i) }
                }
            }
        }
        guard largest <= maxValue else {
            throw .corrupt(format: .pnm, detail: "a sample is \(largest), above the maxval of \(maxValue)")
        }
        return image
    }

    private static func decodeASCII(_ scanner: inout PNMScanner, width: Int, height: Int, gray: Bool, samples: Int,
                                    maxValue: Int, lut: [UInt8]) throws(ImageError) -> RGBImage {
        var failure: ImageError?
        let image = RGBImage(width: width, height: height) { out in
            let d = out.baseAddress!
            for i in 0..<samples {
                guard let v = scanner.sampleNumber() else {
                    failure = scanner.position >= scanner.bytes.count
                        ? .truncated(format: .pnm, detail: "the file ends after \(i) of \(samples) samples")
                        : .corrupt(format: .pnm, detail: "unexpected character in the pixel data after sample \(i)")
                    break
                }
                guard v <= maxValue else {
                    failure = .corrupt(format: .pnm, detail: "sample \(i) is \(v), above the maxval of \(maxValue)")
                    break
                }
                let value = maxValue == 255 ? UInt8(v) : lut[v]
                if gray {
                    d[3 * i] = value; d[3 * i + 1] = value; d[3 * i + 2] = value
                } else {
                    d[i] = value
                }
            }
            // Leave no byte uninitialised even when we are about to throw.
            if failure != nil { d.update(repeating: 0, count: out.count) }
        }
        if let failure { throw failure }
        return image
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0D).contains(c) }
}

/// Reads decimal numbers separated by whitespace and `#` comments.
private struct PNMScanner {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    mutating func skipSpaceAndComments() {
        while position < bytes.count {
            let c = bytes[position]
            if PNMDecoder.isSpace(c) {
                position += 1
            } else if c == UInt8(ascii: "#") {
                while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
            } else {
                return
            }
        }
    }

    /// The next number, or nil at a non-digit or the end. Values above 65535 saturate to 65536
    /// (no valid field is larger) so hostile input cannot overflow.
    mutating func number() -> Int? {
        skipSpaceAndComments()
        var value = -1
        while position < bytes.count, case let c = bytes[position], c >= 0x30 && c <= 0x39 {
            value = min(max(value, 0) * 10 + Int(c - 0x30), 1 << 40)
            position += 1
        }
        return value < 0 ? nil : value
    }

    mutating func sampleNumber() -> Int? { number().map { min($0, 65536) } }

    mutating func headerNumber(_ name: String) throws(ImageError) -> Int {
        if let value = number() { return value }
        if position >= bytes.count {
            throw .truncated(format: .pnm, detail: "the header ends before the \(name)")
        }
        throw .corrupt(format: .pnm, detail: "expected the \(name) but found '\(Character(Unicode.Scalar(bytes[position])))'")
    }
}
