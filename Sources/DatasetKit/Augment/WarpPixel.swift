/// How `AffineWarp` reads, mixes and writes one pixel of a layout: packed RGB8 or one 8-bit
/// plane (a JPEG's Y, Cb or Cr). Both mix the four taps with the same integer weights, so a
/// plane warps exactly as one channel of an RGB image would.
protocol WarpPixel {
    associatedtype Value
    /// Bytes per pixel.
    static var size: Int { get }
    /// The rounded bilinear mix of four taps with fractions `fx`, `fy` (of `AffineWarp.weightOne`).
    static func blend(_ t00: UnsafePointer<UInt8>, _ t01: UnsafePointer<UInt8>, _ t10: UnsafePointer<UInt8>,
                      _ t11: UnsafePointer<UInt8>, fx: Int32, fy: Int32) -> Value
    /// Writes `value` through `tone` (a 256-entry table, or nil for none). With `spare`, the
    /// store may also write the byte after the pixel (the next pixel is written afterwards).
    static func store(_ value: Value, tone: UnsafePointer<UInt8>?, to out: UnsafeMutablePointer<UInt8>, spare: Bool)
    /// Writes `count` pixels of one fill byte.
    static func fill(_ out: UnsafeMutablePointer<UInt8>, value: UInt8, count: Int)
    /// The run of a row whose positions are all inside the image, toned by `curve`, which
    /// `table` holds too (nil for the identity).
    static func interior(_ src: AffineWarp.Source, _ line: AffineWarp.Line, curve: ToneCurve, table: UnsafePointer<UInt8>?)
    /// A run outside the image under `nearest`: positions clamped into it, then as `interior`.
    static func clamped(_ src: AffineWarp.Source, _ line: AffineWarp.Line, curve: ToneCurve, table: UnsafePointer<UInt8>?)
}

extension WarpPixel {
    static func interior(_ src: AffineWarp.Source, _ line: AffineWarp.Line, curve: ToneCurve, table: UnsafePointer<UInt8>?) {
        AffineWarp.run(src, line, Self.self, clamp: false, tone: table)
    }

    static func clamped(_ src: AffineWarp.Source, _ line: AffineWarp.Line, curve: ToneCurve, table: UnsafePointer<UInt8>?) {
        AffineWarp.run(src, line, Self.self, clamp: true, tone: table)
    }

    static func fill(_ out: UnsafeMutablePointer<UInt8>, value: UInt8, count: Int) {
        out.update(repeating: value, count: count * size)
    }
}

/// Packed RGB8: the three channels ride in lanes 0-2 of one 4-lane vector.
enum RGBPixel: WarpPixel {
    static var size: Int { 3 }

    @inline(__always)
    static func blend(_ t00: UnsafePointer<UInt8>, _ t01: UnsafePointer<UInt8>, _ t10: UnsafePointer<UInt8>,
                      _ t11: UnsafePointer<UInt8>, fx: Int32, fy: Int32) -> SIMD4<Int32> {
        let w = AffineWarp.weights(fx: fx, fy: fy)
        let sum = tap(t00) &* w.0 &+ tap(t01) &* w.1 &+ tap(t10) &* w.2 &+ tap(t11) &* w.3 &+ AffineWarp.roundingHalf
        return sum &>> (2 * AffineWarp.weightBits)
    }

    /// The pixel at `p` in lanes 0-2 (lane 3 is whatever byte follows; `WarpSource`'s padding
    /// makes it readable).
    @inline(__always)
    static func tap(_ p: UnsafePointer<UInt8>) -> SIMD4<Int32> {
        SIMD4<Int32>(truncatingIfNeeded: UnsafeRawPointer(p).loadUnaligned(as: SIMD4<UInt8>.self))
    }

    @inline(__always)
    static func store(_ value: SIMD4<Int32>, tone: UnsafePointer<UInt8>?, to out: UnsafeMutablePointer<UInt8>, spare: Bool) {
        var v = SIMD4<UInt8>(truncatingIfNeeded: value)
        if let tone { v = SIMD4(tone[Int(v[0])], tone[Int(v[1])], tone[Int(v[2])], 0) }
        if spare {
            UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD4<UInt8>.self)
        } else {
            out[0] = v[0]; out[1] = v[1]; out[2] = v[2]
        }
    }
}

/// One 8-bit sample per pixel.
enum PlaneSample: WarpPixel {
    static var size: Int { 1 }

    @inline(__always)
    static func blend(_ t00: UnsafePointer<UInt8>, _ t01: UnsafePointer<UInt8>, _ t10: UnsafePointer<UInt8>,
                      _ t11: UnsafePointer<UInt8>, fx: Int32, fy: Int32) -> Int32 {
        // (1-fx)·a + fx·b per row, then per column: the same integer sum as the four weights.
        let top = Int32(t00.pointee) &* AffineWarp.weightOne &+ (Int32(t01.pointee) &- Int32(t00.pointee)) &* fx
        let bottom = Int32(t10.pointee) &* AffineWarp.weightOne &+ (Int32(t11.pointee) &- Int32(t10.pointee)) &* fx
        return (top &* AffineWarp.weightOne &+ (bottom &- top) &* fy &+ AffineWarp.roundingHalf) &>> (2 * AffineWarp.weightBits)
    }

    @inline(__always)
    static func store(_ value: Int32, tone: UnsafePointer<UInt8>?, to out: UnsafeMutablePointer<UInt8>, spare: Bool) {
        let v = UInt8(truncatingIfNeeded: value)
        out.pointee = tone.map { $0[Int(v)] } ?? v
    }
}
