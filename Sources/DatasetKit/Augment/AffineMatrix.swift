import Foundation

/// A 2-D affine map `(x, y) ↦ (a·x + b·y + c, d·x + e·y + f)` on pixel-index coordinates: x to
/// the right, y down, pixel centres at integers (so an image of width w spans `[0, w-1]`).
///
/// Warps use it as SciPy's `affine_transform` and OpenCV's `WARP_INVERSE_MAP` do: it maps each
/// output pixel to the input point it samples.
public struct AffineMatrix: Sendable, Hashable, Codable {
    public var a, b, c: Double
    public var d, e, f: Double

    public init(a: Double, b: Double, c: Double, d: Double, e: Double, f: Double) {
        self.a = a; self.b = b; self.c = c
        self.d = d; self.e = e; self.f = f
    }

    public static let identity = AffineMatrix(a: 1, b: 0, c: 0, d: 0, e: 1, f: 0)

    /// Keras' rotation matrix `[[cos θ, -sin θ], [sin θ, cos θ]]` in (x, y). As an output→input
    /// map with y down, a positive angle turns the content counter-clockwise on screen.
    /// Multiples of 90° are exact.
    public static func rotation(degrees: Double) -> AffineMatrix {
        let (s, c) = exactSinCos(degrees: degrees)
        return AffineMatrix(a: c, b: -s, c: 0, d: s, e: c, f: 0)
    }

    /// `input = output + (x, y)`: the content moves by `(-x, -y)`.
    public static func translation(x: Double, y: Double) -> AffineMatrix {
        AffineMatrix(a: 1, b: 0, c: x, d: 0, e: 1, f: y)
    }

    /// Keras' shear matrix `[[1, -sin s], [0, cos s]]` in (x, y): rows slide sideways in
    /// proportion to their height.
    public static func shear(degrees: Double) -> AffineMatrix {
        let (s, c) = exactSinCos(degrees: degrees)
        return AffineMatrix(a: 1, b: -s, c: 0, d: 0, e: c, f: 0)
    }

    /// `input = (zx·x, zy·y)`: factors above 1 sample a larger area, so the content shrinks.
    public static func scale(x: Double, y: Double) -> AffineMatrix {
        AffineMatrix(a: x, b: 0, c: 0, d: 0, e: y, f: 0)
    }

    /// `self · other`: the map that applies `other` first, then `self`.
    public func concatenating(_ other: AffineMatrix) -> AffineMatrix {
        AffineMatrix(a: a * other.a + b * other.d, b: a * other.b + b * other.e, c: a * other.c + b * other.f + c,
                     d: d * other.a + e * other.d, e: d * other.b + e * other.e, f: d * other.c + e * other.f + f)
    }

    /// This map taken about `(cx, cy)` instead of the origin: `T(c) · self · T(-c)`.
    public func about(x cx: Double, y cy: Double) -> AffineMatrix {
        AffineMatrix.translation(x: cx, y: cy).concatenating(self).concatenating(.translation(x: -cx, y: -cy))
    }

    /// The point `(x, y)` maps to.
    public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + c, d * x + e * y + f)
    }

    /// The inverse map, or nil when the matrix is singular.
    public var inverted: AffineMatrix? {
        let det = a * e - b * d
        guard det != 0, det.isFinite else { return nil }
        let ia = e / det, ib = -b / det, id = -d / det, ie = a / det
        return AffineMatrix(a: ia, b: ib, c: -(ia * c + ib * f), d: id, e: ie, f: -(id * c + ie * f))
    }

    /// True when the map moves no point.
    public var isIdentity: Bool { self == .identity }

    /// Sine and cosine of an angle in degrees, exact at multiples of 90°, where `sin(.pi)` is
    /// not zero in floating point.
    static func exactSinCos(degrees: Double) -> (sin: Double, cos: Double) {
        let quarter = degrees / 90
        if quarter == quarter.rounded(), abs(quarter) < 1e15 {
            switch ((Int(quarter) % 4) + 4) % 4 {
            case 0: return (0, 1)
            case 1: return (1, 0)
            case 2: return (0, -1)
            default: return (-1, 0)
            }
        }
        let radians = degrees * .pi / 180
        return (sin(radians), cos(radians))
    }
}
