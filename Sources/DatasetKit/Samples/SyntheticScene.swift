import Foundation

/// A synthetic picture: a lit, grainy background with a few flat shapes on it, rendered at
/// any size. Every sample image is one: a class (or a tag) picks the shapes and colours, and
/// each image varies their pose, the light and the grain, so a small CNN can learn the
/// classes while every file differs.
///
/// Coordinates are fractions of the width and height (0-1), so a scene looks the same at any
/// size. Pure: the same scene and size give the same pixels.
public struct SyntheticScene: Sendable {
    public enum ShapeKind: Int, Sendable, CaseIterable {
        case disc, bar, stripes, diamond, ring
    }

    /// One flat-coloured shape. Later shapes are painted over earlier ones.
    public struct Shape: Sendable {
        public var kind: ShapeKind
        /// Colour, 0-255 per channel, before lighting.
        public var color: SIMD3<Double>
        public var center: SIMD2<Double>
        /// Size as a fraction of the image.
        public var radius: Double
        /// Rotation in radians.
        public var angle: Double
        /// Stripes per unit length (stripes only).
        public var frequency: Double

        public init(kind: ShapeKind, color: SIMD3<Double>, center: SIMD2<Double>, radius: Double,
                    angle: Double = 0, frequency: Double = 10) {
            self.kind = kind
            self.color = color
            self.center = center
            self.radius = radius
            self.angle = angle
            self.frequency = frequency
        }

        /// True when the point at offset (du, dv) from the centre is inside.
        @inline(__always)
        func contains(du: Double, dv: Double, cos ca: Double, sin sa: Double) -> Bool {
            let ru = du * ca + dv * sa, rv = -du * sa + dv * ca
            let r2 = du * du + dv * dv
            switch kind {
            case .disc: return r2 < radius * radius
            case .bar: return abs(ru) < radius && abs(rv) < radius * 0.6
            case .stripes: return sin(ru * frequency * 2 * .pi) > 0.2 && r2 < radius * radius * 2
            case .diamond: return abs(ru) + abs(rv) < radius * 1.2
            case .ring: return r2 < radius * radius && r2 > radius * radius * 0.3
            }
        }
    }

    public var background: SIMD3<Double>
    public var shapes: [Shape]
    /// Overall brightness factor (1 = as given).
    public var light: Double
    /// Brightness slope across the image, around `lightCenter`.
    public var gradient: SIMD2<Double>
    public var lightCenter: SIMD2<Double>
    /// Frequency of the soft diagonal texture in the grain.
    public var grainFrequency: Double
    /// Seeds the per-pixel grain.
    public var noiseSeed: UInt64

    public init(background: SIMD3<Double>, shapes: [Shape], light: Double = 1, gradient: SIMD2<Double> = .zero,
                lightCenter: SIMD2<Double> = [0.5, 0.5], grainFrequency: Double = 10, noiseSeed: UInt64 = 0) {
        self.background = background
        self.shapes = shapes
        self.light = light
        self.gradient = gradient
        self.lightCenter = lightCenter
        self.grainFrequency = grainFrequency
        self.noiseSeed = noiseSeed
    }

    /// The scene as an RGB image.
    public func render(size: PixelSize) -> RGBImage {
        RGBImage(width: size.width, height: size.height) { out in
            paint(size) { pixel, color, _ in
                out[3 * pixel] = color.0; out[3 * pixel + 1] = color.1; out[3 * pixel + 2] = color.2
            }
        }
    }

    /// The scene with an alpha channel: shapes opaque, the background at `backgroundAlpha`
    /// (0 transparent), as product photos cut out of their background.
    public func renderRGBA(size: PixelSize, backgroundAlpha: UInt8) -> RGBAImage {
        let count = size.width * size.height * 4
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { out, initialized in
            paint(size) { pixel, color, inside in
                out[4 * pixel] = color.0; out[4 * pixel + 1] = color.1; out[4 * pixel + 2] = color.2
                out[4 * pixel + 3] = inside ? 255 : backgroundAlpha
            }
            initialized = count
        }
        return RGBAImage(width: size.width, height: size.height, pixels: pixels)
    }

    /// Calls `put(pixelIndex, rgb, insideAShape)` for every pixel, row by row.
    private func paint(_ size: PixelSize, _ put: (Int, (UInt8, UInt8, UInt8), Bool) -> Void) {
        let w = size.width, h = size.height
        let rotations = shapes.map { (cos($0.angle), sin($0.angle)) }
        var noise = SeededGenerator(seed: noiseSeed)
        for y in 0..<h {
            let v = Double(y) / Double(h)
            for x in 0..<w {
                let u = Double(x) / Double(w)
                var color = background, inside = false
                for (i, shape) in shapes.enumerated()
                where shape.contains(du: u - shape.center.x, dv: v - shape.center.y, cos: rotations[i].0, sin: rotations[i].1) {
                    color = shape.color
                    inside = true
                }
                let du = u - lightCenter.x, dv = v - lightCenter.y
                let shade = light * (1 + gradient.x * du + gradient.y * dv)
                let grain = Double(Int(noise.next() >> 58) - 32) * 0.6 + 8 * sin((u * 37 + v * 23) * grainFrequency)
                put(y * w + x, (Self.clamp(color.x * shade + grain), Self.clamp(color.y * shade + grain),
                                Self.clamp(color.z * shade + grain)), inside)
            }
        }
    }

    private static func clamp(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }

    /// An RGB colour (0-255 per channel) from hue (turns; wraps), saturation and value (0-1).
    public static func color(hue: Double, saturation s: Double, value v: Double) -> SIMD3<Double> {
        let h = (hue - hue.rounded(.down)) * 6
        let i = Int(h) % 6, f = h - Double(Int(h))
        let p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f))
        let rgb: SIMD3<Double>
        switch i {
        case 0: rgb = [v, t, p]
        case 1: rgb = [q, v, p]
        case 2: rgb = [p, v, t]
        case 3: rgb = [p, q, v]
        case 4: rgb = [t, p, v]
        default: rgb = [v, p, q]
        }
        return rgb * 255
    }
}
