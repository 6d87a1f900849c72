/// Draws the parameters of one augmented copy from `AugmentParameters`, as Keras'
/// `get_random_transform` does, but from our seeded generator.
///
/// Pure: the result depends only on the ranges, the image size and the generator's state. Every
/// draw is made whether or not its range is in use, always in the same order, so turning one
/// option on never changes the values the others get. Values are rounded to 6 decimals, so the
/// JSON log holds them exactly and a replay warps with the very same numbers.
public struct TransformSampler: Sendable {
    public var parameters: AugmentParameters

    public init(_ parameters: AugmentParameters) { self.parameters = parameters }

    /// The parameters of one copy of a `size` image (shifts given as fractions scale with it).
    public func sample(using generator: inout SeededGenerator, imageSize size: PixelSize) -> TransformParameters {
        let p = parameters
        var draws = [Double](repeating: 0, count: 12)
        for i in draws.indices { draws[i] = generator.unit() }
        func uniform(_ lower: Double, _ upper: Double, _ u: Double) -> Double { lower + u * (upper - lower) }

        let zoom = p.zoomRange.bounds
        let zooms = zoom.lower == 1 && zoom.upper == 1
        var result = TransformParameters(fillMode: p.fillMode, cval: p.cval)
        result.theta = p.rotationRange > 0 ? Self.rounded(uniform(-p.rotationRange, p.rotationRange, draws[0])) : 0
        result.tx = Self.rounded(p.widthShiftRange.pixels(side: size.width, draws[1], draws[2]))
        result.ty = Self.rounded(p.heightShiftRange.pixels(side: size.height, draws[3], draws[4]))
        result.shear = p.shearRange > 0 ? Self.rounded(uniform(-p.shearRange, p.shearRange, draws[5])) : 0
        result.zx = zooms ? 1 : Self.rounded(uniform(zoom.lower, zoom.upper, draws[6]))
        result.zy = zooms ? 1 : Self.rounded(uniform(zoom.lower, zoom.upper, draws[7]))
        result.flipHorizontal = p.horizontalFlip && draws[8] < 0.5
        result.flipVertical = p.verticalFlip && draws[9] < 0.5
        if p.channelShiftRange > 0 {
            result.channelShiftIntensity = Self.rounded(uniform(-p.channelShiftRange, p.channelShiftRange, draws[10]))
        }
        if let b = p.brightnessRange {
            result.brightness = Self.rounded(uniform(b.lower, b.upper, draws[11]))
        }
        // -0.0 would print as "-0" and read back the same, but a plain 0 reads better.
        if result.tx == 0 { result.tx = 0 }
        if result.ty == 0 { result.ty = 0 }
        return result
    }

    /// `x` on a grid of 10^-6: the nearest double to a 6-decimal number, which JSON round-trips.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}
