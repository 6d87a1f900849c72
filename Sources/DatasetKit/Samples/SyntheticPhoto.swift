import Foundation

/// Photo-like test images: a class-specific scene (palette, shape kind) with per-image pose,
/// lighting and texture noise, so a small CNN can tell classes apart while every file differs.
public enum SyntheticPhoto {
    /// Renders image `index` of class `classIndex`. Pure: the same arguments give the same pixels.
    public static func render(classIndex: Int, index: Int, size: PixelSize, seed: UInt64) -> RGBImage {
        var rng = SeededGenerator(seed: seed, item: "class\(classIndex)", index: index)
        let hue = Double(classIndex) * 0.382  // golden-ratio spacing keeps class colours apart
        let base = color(hue: hue, saturation: 0.55, value: 0.85)
        let accent = color(hue: hue + 0.5, saturation: 0.7, value: 0.6)
        let kind = classIndex % 4
        let cx = rng.uniform(0.3...0.7), cy = rng.uniform(0.3...0.7)
        let radius = rng.uniform(0.18...0.32)
        let angle = rng.uniform(0...Double.pi)
        let frequency = rng.uniform(6...14)
        let light = rng.uniform(0.75...1.15)
        let gx = rng.uniform(-0.3...0.3), gy = rng.uniform(-0.3...0.3)
        let noiseSeed = rng.next()
        let w = size.width, h = size.height
        let (ca, sa) = (cos(angle), sin(angle))
        return RGBImage(width: w, height: h) { out in
            var noise = SeededGenerator(seed: noiseSeed)
            for y in 0..<h {
                let v = Double(y) / Double(h)
                for x in 0..<w {
                    let u = Double(x) / Double(w)
                    let du = u - cx, dv = v - cy
                    let ru = du * ca + dv * sa, rv = -du * sa + dv * ca
                    let inside: Bool
                    switch kind {
                    case 0: inside = du * du + dv * dv < radius * radius
                    case 1: inside = abs(ru) < radius && abs(rv) < radius * 0.6
                    case 2: inside = sin(ru * frequency * 2 * .pi) > 0.2 && du * du + dv * dv < radius * radius * 2
                    default: inside = abs(ru) + abs(rv) < radius * 1.2
                    }
                    let shade = light * (1 + gx * du + gy * dv)
                    let grain = Double(Int(noise.next() >> 58) - 32) * 0.6 + 8 * sin((u * 37 + v * 23) * frequency)
                    let c = inside ? accent : base
                    let i = (y * w + x) * 3
                    out[i] = clamp(c.0 * shade + grain)
                    out[i + 1] = clamp(c.1 * shade + grain)
                    out[i + 2] = clamp(c.2 * shade + grain)
                }
            }
        }
    }

    private static func clamp(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }

    private static func color(hue: Double, saturation s: Double, value v: Double) -> (Double, Double, Double) {
        let h = (hue - hue.rounded(.down)) * 6
        let i = Int(h) % 6, f = h - Double(Int(h))
        let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
        let (r, g, b): (Double, Double, Double)
        switch i {
        case 0: (r, g, b) = (v, t, p)
        case 1: (r, g, b) = (q, v, p)
        case 2: (r, g, b) = (p, v, t)
        case 3: (r, g, b) = (p, q, v)
        case 4: (r, g, b) = (t, p, v)
        default: (r, g, b) = (v, p, q)
        }
        return (r * 255, g * 255, b * 255)
    }
}
