/// The brightness of an augmented copy as a map of 8-bit values: `centre + (v - centre)·factor`,
/// clipped to 0-255. On R, G, B or Y (centre 0) it truncates, as PIL's `ImageEnhance.Brightness`
/// does (a blend with black); on Cb, Cr (centre 128, neutral) it rounds.
///
/// The warp applies it either through its 256-entry `table` or, where blends are computed side by
/// side, with `apply` itself: both give the same values, since the table is made by `apply`.
public struct ToneCurve: Sendable, Hashable {
    var factor: Float
    var centre: Float
    /// Added before rounding down: 0 truncates, 0.5 rounds.
    var rounding: Float

    /// PIL's brightness on R, G, B, which is also what it does to Y.
    public static func brightness(_ factor: Double) -> ToneCurve { ToneCurve(factor: Float(factor), centre: 0, rounding: 0) }

    /// The same blend with black on a chroma plane: scaled about neutral.
    public static func chroma(_ factor: Double) -> ToneCurve { ToneCurve(factor: Float(factor), centre: 128, rounding: 0.5) }

    /// Leaves every value as it is.
    public static let identity = brightness(1)

    /// The value `v` (0-255) becomes.
    @inline(__always)
    func apply(_ v: Int32) -> Int32 {
        // With centre 0 this is exactly `Float(v) · factor`, as PIL computes it.
        let x = centre + (Float(v) - centre) * factor + rounding
        return Int32(UInt8(wholeFloat: min(max(x, 0), 255).rounded(.down)))
    }

    /// `apply` for every value.
    var table: [UInt8] { (0...255).map { UInt8(apply(Int32($0))) } }
}
