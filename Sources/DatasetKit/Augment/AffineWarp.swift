extension RGBImage {
    /// This image resampled through `matrix` (each output pixel samples the input point the
    /// matrix maps it to), bilinearly, onto `size` (default: this image's size). Points outside
    /// the image read it extended as `fill` says; `cval` is the `constant` fill. (To warp one
    /// image many times, make a `WarpSource` once.)
    public func warped(by matrix: AffineMatrix, size: PixelSize? = nil, fill: FillMode = .nearest,
                       cval: UInt8 = 0) -> RGBImage {
        WarpSource(self).warped(by: matrix, size: size ?? PixelSize(width: width, height: height), fill: fill, cval: cval)
    }
}

/// The bilinear affine warp of RGB8 images and 8-bit planes: the one resampling an augmented
/// copy gets.
///
/// Positions are 32.32 fixed point, stepped along a row by integer additions, so they carry no
/// rounding drift and the result is the same on every machine. Weights have 11 bits per axis;
/// a pixel is the rounded weighted sum of its four taps.
///
/// Each row splits into the span whose positions are inside the image (found exactly, in
/// integers) and the parts before and after it. Inside, a tight loop reads the 2x2 taps of the
/// padded `WarpSource` with no border logic. Outside: `constant` writes the fill; `nearest`
/// clamps the position to the image and runs the same loop (clamping the position gives exactly
/// the per-tap clamp of the fill's definition: taps that clamp to one pixel are that pixel, so
/// their weights add up whatever the fraction); `reflect` and `wrap` map each tap's index.
/// Every path does the same arithmetic, so where a pixel is computed never changes its value.
/// A `tone` curve (the brightness) maps each value as it is written.
enum AffineWarp {
    struct Source {
        var base: UnsafePointer<UInt8>
        var width: Int
        var height: Int
        /// Bytes per row of the padded buffer (see `WarpSource`).
        var stride: Int
    }

    static let positionBits: Int64 = 32
    static let weightBits: Int32 = 11
    static let weightOne: Int32 = 1 << weightBits
    static let fractionShift = positionBits - Int64(weightBits)
    static let fractionMask: Int64 = Int64(weightOne) - 1
    static let roundingHalf: Int32 = 1 << (2 * weightBits - 1)

    static func warp<Pixel: WarpPixel>(_ src: Source, as pixel: Pixel.Type, matrix m: AffineMatrix,
                                       into dst: UnsafeMutablePointer<UInt8>, width: Int, height: Int,
                                       fill: FillMode, cval: UInt8, tone curve: ToneCurve? = nil) {
        let table = curve?.table ?? []
        table.withUnsafeBufferPointer { lookup in
            warp(src, as: Pixel.self, matrix: m, into: dst, width: width, height: height, fill: fill, cval: cval,
                 curve: curve ?? .identity, table: curve == nil ? nil : lookup.baseAddress)
        }
    }

    /// `warp` with the curve also as a table (nil when there is none), for the loops that look
    /// values up rather than compute them.
    private static func warp<Pixel: WarpPixel>(_ src: Source, as pixel: Pixel.Type, matrix m: AffineMatrix,
                                               into dst: UnsafeMutablePointer<UInt8>, width: Int, height: Int, fill: FillMode,
                                               cval: UInt8, curve: ToneCurve, table tone: UnsafePointer<UInt8>?) {
        let du = fixed(m.a), dv = fixed(m.d)
        let fillValue = tone.map { $0[Int(cval)] } ?? cval
        let uMax = Int64(src.width - 1) << positionBits, vMax = Int64(src.height - 1) << positionBits
        for y in 0..<height {
            let u0 = fixed(m.b * Double(y) + m.c), v0 = fixed(m.e * Double(y) + m.f)
            let out = dst + y * width * Pixel.size
            var inside = span(start: u0, step: du, upTo: uMax, count: width)
                .clamped(to: span(start: v0, step: dv, upTo: vMax, count: width))
            if inside.isEmpty { inside = width..<width }
            // Left to right, so each wide store's spare byte lands on a pixel written next.
            for (xs, isInside) in [(0..<inside.lowerBound, false), (inside, true), (inside.upperBound..<width, false)] where !xs.isEmpty {
                let line = Line(u: u0 &+ Int64(xs.lowerBound) &* du, v: v0 &+ Int64(xs.lowerBound) &* dv, du: du, dv: dv,
                                out: out + xs.lowerBound * Pixel.size, count: xs.count, endsRow: xs.upperBound == width)
                if isInside {
                    Pixel.interior(src, line, curve: curve, table: tone)
                } else {
                    switch fill {
                    case .nearest: Pixel.clamped(src, line, curve: curve, table: tone)
                    case .constant: Pixel.fill(line.out, value: fillValue, count: line.count)
                    case .reflect: mapped(src, line, Pixel.self, rule: ReflectIndex.self, tone: tone)
                    case .wrap: mapped(src, line, Pixel.self, rule: WrapIndex.self, tone: tone)
                    }
                }
            }
        }
    }

    /// A run of output pixels along a row: the first position, the step, where to write.
    struct Line {
        var u, v: Int64
        var du, dv: Int64
        var out: UnsafeMutablePointer<UInt8>
        var count: Int
        /// The run ends at the row's last pixel, where a wide store would reach past the image.
        var endsRow: Bool
    }

    /// The 2x2 bilinear loop. With `clamp`, positions are first clamped into the image.
    @inline(__always)
    static func run<Pixel: WarpPixel>(_ src: Source, _ line: Line, _: Pixel.Type, clamp: Bool, tone: UnsafePointer<UInt8>?) {
        let stride = src.stride
        let uMax = Int64(src.width - 1) << positionBits, vMax = Int64(src.height - 1) << positionBits
        var u = line.u, v = line.v, out = line.out
        @inline(__always) func pixel() -> Pixel.Value {
            let cu = clamp ? min(max(u, 0), uMax) : u, cv = clamp ? min(max(v, 0), vMax) : v
            let p = src.base + Int(truncatingIfNeeded: cv >> positionBits) * stride + Int(truncatingIfNeeded: cu >> positionBits) * Pixel.size
            return Pixel.blend(p, p + Pixel.size, p + stride, p + stride + Pixel.size, fx: fraction(cu), fy: fraction(cv))
        }
        let wide = line.endsRow ? line.count - 1 : line.count
        for _ in 0..<wide {
            Pixel.store(pixel(), tone: tone, to: out, spare: true)
            u &+= line.du
            v &+= line.dv
            out += Pixel.size
        }
        if line.endsRow { Pixel.store(pixel(), tone: tone, to: out, spare: false) }
    }

    /// `reflect` and `wrap` outside the image: every tap index goes through the rule.
    static func mapped<Pixel: WarpPixel, Rule: EdgeIndexRule>(_ src: Source, _ line: Line, _: Pixel.Type, rule: Rule.Type,
                                                             tone: UnsafePointer<UInt8>?) {
        let w = src.width, h = src.height, stride = src.stride
        var u = line.u, v = line.v, out = line.out
        for _ in 0..<line.count {
            let ix = Int(truncatingIfNeeded: u >> positionBits), iy = Int(truncatingIfNeeded: v >> positionBits)
            let x0 = Rule.index(ix, count: w) * Pixel.size, x1 = Rule.index(ix &+ 1, count: w) * Pixel.size
            let r0 = src.base + Rule.index(iy, count: h) * stride, r1 = src.base + Rule.index(iy &+ 1, count: h) * stride
            Pixel.store(Pixel.blend(r0 + x0, r0 + x1, r1 + x0, r1 + x1, fx: fraction(u), fy: fraction(v)), tone: tone, to: out, spare: false)
            u &+= line.du
            v &+= line.dv
            out += Pixel.size
        }
    }

    /// The four bilinear weights `(top-left, top-right, bottom-left, bottom-right)` for
    /// fractions `fx`, `fy` of `weightOne`; they add up to `weightOne²`.
    @inline(__always)
    static func weights(fx: Int32, fy: Int32) -> (Int32, Int32, Int32, Int32) {
        let w11 = fx &* fy
        let w10 = (fx &<< weightBits) &- w11
        let w01 = (fy &<< weightBits) &- w11
        let w00 = (weightOne &<< weightBits) &- (fx &<< weightBits) &- (fy &<< weightBits) &+ w11
        return (w00, w10, w01, w11)
    }

    /// The weight-precision fraction of a fixed-point position.
    @inline(__always)
    static func fraction(_ position: Int64) -> Int32 {
        Int32(truncatingIfNeeded: (position &>> fractionShift) & fractionMask)
    }

    /// A coordinate in 32.32 fixed point, clamped to ±2^30 pixels (a matrix that reaches beyond
    /// samples only fill there anyway, and the clamp keeps the arithmetic from overflowing).
    static func fixed(_ x: Double) -> Int64 {
        let limit = 1_073_741_824.0
        let clamped = x.isNaN ? 0 : min(max(x, -limit), limit)
        return Int64((clamped * 4_294_967_296.0).rounded())
    }

    /// The `x` in `0..<count` with `0 <= start + x·step <= limit` (a range, since the position is
    /// linear in x), in exact integer arithmetic.
    static func span(start: Int64, step: Int64, upTo limit: Int64, count: Int) -> Range<Int> {
        var first: Int64, last: Int64
        if step == 0 {
            guard start >= 0 && start <= limit else { return 0..<0 }
            (first, last) = (0, Int64(count - 1))
        } else if step > 0 {
            (first, last) = (ceilDiv(-start, step), floorDiv(limit - start, step))
        } else {
            (first, last) = (ceilDiv(start - limit, -step), floorDiv(start, -step))
        }
        first = max(first, 0)
        last = min(last, Int64(count - 1))
        return first <= last ? Int(first)..<Int(last + 1) : 0..<0
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { -floorDiv(-a, b) }
}

/// How `reflect` and `wrap` map a tap index outside `0..<count` back into it.
protocol EdgeIndexRule {
    static func index(_ i: Int, count n: Int) -> Int
}

/// `dcba|abcd|dcba`.
enum ReflectIndex: EdgeIndexRule {
    @inline(__always)
    static func index(_ i: Int, count n: Int) -> Int {
        if i >= 0 && i < n { return i }
        if i < 0 && i >= -n { return -1 - i }
        if i >= n && i < 2 * n { return 2 * n - 1 - i }
        return FillMode.reflect.sourceIndex(i, count: n)
    }
}

/// `abcd|abcd|abcd`.
enum WrapIndex: EdgeIndexRule {
    @inline(__always)
    static func index(_ i: Int, count n: Int) -> Int {
        if i >= 0 && i < n { return i }
        if i < 0 && i >= -n { return i + n }
        if i >= n && i < 2 * n { return i - n }
        return FillMode.wrap.sourceIndex(i, count: n)
    }
}
