/// Exact integer conversions shared by the decoders. Everything here works on sample values
/// as stored: no gamma, no colour management, so a value means the same in every format.
enum ByValue {
    /// A 16-bit sample reduced to 8 bits, rounded to nearest: `(v * 255 + 32767) / 65535`.
    @inline(__always)
    static func reduce16(_ v: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: (v &* 255 &+ 32767) / 65535)
    }

    /// An 8-bit sample `c` with alpha `a` over background `bg`, rounded to nearest:
    /// `(c * a + bg * (255 - a) + 127) / 255`.
    @inline(__always)
    static func composite8(_ c: UInt32, alpha a: UInt32, over bg: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: (c &* a &+ bg &* (255 &- a) &+ 127) / 255)
    }

    /// A 16-bit sample `c` with 16-bit alpha `a` over an 8-bit background `bg`, composited at
    /// full precision and rounded once to 8 bits:
    /// `(c * a + bg * 257 * (65535 - a) + D / 2) / D` with `D = 65535 * 257`.
    /// With `a == 65535` this equals `reduce16(c)`; with `a == 0` it is `bg`.
    @inline(__always)
    static func composite16(_ c: UInt32, alpha a: UInt32, over bg: UInt32) -> UInt8 {
        let d: UInt64 = 65535 * 257
        let n = UInt64(c) &* UInt64(a) &+ UInt64(bg &* 257) &* UInt64(65535 &- a)
        return UInt8(truncatingIfNeeded: (n &+ d / 2) / d)
    }

    /// A sample `v` in `0...maxValue` scaled to `0...255`, rounded to nearest.
    @inline(__always)
    static func scale(_ v: UInt32, maxValue: UInt32) -> UInt8 {
        UInt8(truncatingIfNeeded: (UInt64(v) &* 255 &+ UInt64(maxValue / 2)) / UInt64(maxValue))
    }
}

extension RGBImage {
    /// `init(width:height:initializingWith:)` for decoders with typed throws.
    static func decoding(width: Int, height: Int,
                         _ body: (UnsafeMutableBufferPointer<UInt8>) throws(ImageError) -> Void) throws(ImageError) -> RGBImage {
        do {
            return try RGBImage(width: width, height: height, initializingWith: body)
        } catch let error as ImageError {
            throw error
        } catch {
            preconditionFailure("decoder body threw a non-ImageError: \(error)")
        }
    }
}
