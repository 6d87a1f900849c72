/// Photo-like test images for classification: a class-specific scene with per-image pose,
/// lighting and texture noise, so a small CNN can tell classes apart while every file differs.
///
/// A class is told by three cues: the background hue, the shape's hue, and the shape (disc,
/// bar, stripes, diamond: class mod 4). The two hues of class c are the c-th point of the R2
/// low-discrepancy sequence, so the classes' colour pairs stay spread out however many there
/// are: with all 101 Food-101 classes, any two differ by at least 0.078 of a turn in the pair
/// (0.14 when they share a shape).
public enum SyntheticPhoto {
    /// Renders image `index` of class `classIndex`. Pure: the same arguments give the same pixels.
    public static func render(classIndex: Int, index: Int, size: PixelSize, seed: UInt64) -> RGBImage {
        scene(classIndex: classIndex, index: index, seed: seed).render(size: size)
    }

    /// The scene of image `index` of class `classIndex` (render it as RGB or RGBA).
    public static func scene(classIndex: Int, index: Int, seed: UInt64) -> SyntheticScene {
        var rng = SeededGenerator(seed: seed, item: "class\(classIndex)", index: index)
        // R2 sequence: the plastic number's reciprocal powers.
        let c = Double(classIndex)
        let base = SyntheticScene.color(hue: 0.5 + c * 0.754_877_666_246_692_7, saturation: 0.55, value: 0.85)
        let accent = SyntheticScene.color(hue: 0.5 + c * 0.569_840_290_998_053_2, saturation: 0.7, value: 0.6)
        let kind = SyntheticScene.ShapeKind(rawValue: classIndex % 4)!
        let center = SIMD2(rng.uniform(0.3...0.7), rng.uniform(0.3...0.7))
        let radius = rng.uniform(0.18...0.32)
        let angle = rng.uniform(0...Double.pi)
        let frequency = rng.uniform(6...14)
        let light = rng.uniform(0.8...1.1)
        let gradient = SIMD2(rng.uniform(-0.3...0.3), rng.uniform(-0.3...0.3))
        let shape = SyntheticScene.Shape(kind: kind, color: accent, center: center, radius: radius,
                                         angle: angle, frequency: frequency)
        return SyntheticScene(background: base, shapes: [shape], light: light, gradient: gradient,
                              lightCenter: center, grainFrequency: frequency, noiseSeed: rng.next())
    }
}
