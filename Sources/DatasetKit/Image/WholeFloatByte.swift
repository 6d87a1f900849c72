extension UInt8 {
    /// `x`, a whole number in 0...255 held in a Float, as a byte: added to 2^23, its value is the
    /// float's low mantissa bits. Unlike `UInt8(_:)` this makes no range check, which would stop
    /// the loops it sits in from vectorising; callers clamp and round first.
    @inline(__always)
    init(wholeFloat x: Float) { self = UInt8(truncatingIfNeeded: (x + 8_388_608).bitPattern) }
}
