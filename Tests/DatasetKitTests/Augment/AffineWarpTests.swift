import Testing
@testable import DatasetKit

/// Analytic cases: geometry whose exact result is known, for every fill mode.
@Suite struct AffineWarpTests {
    /// A small image whose every sample differs (and differs from the fill value 0).
    static func coded(_ w: Int, _ h: Int) -> RGBImage {
        RGBImage(width: w, height: h) { p in
            for i in 0..<(w * h) { p[i * 3] = UInt8(1 + i % 251); p[i * 3 + 1] = UInt8(1 + (i * 7) % 251); p[i * 3 + 2] = UInt8(200 - i % 199) }
        }
    }

    /// The source extended as `fill` defines it, for integer positions.
    static func extended(_ image: RGBImage, _ x: Int, _ y: Int, _ fill: FillMode, cval: UInt8) -> RGBColor {
        if fill == .constant && !(0..<image.width ~= x && 0..<image.height ~= y) { return RGBColor(red: cval, green: cval, blue: cval) }
        return image[fill.sourceIndex(x, count: image.width), fill.sourceIndex(y, count: image.height)]
    }

    @Test(arguments: FillMode.allCases)
    func identityKeepsEveryPixel(fill: FillMode) {
        let image = Self.coded(7, 5)
        let params = TransformParameters(fillMode: fill)
        #expect(params.matrix(width: 7, height: 5) == .identity)
        #expect(image.warped(by: params.matrix(width: 7, height: 5), fill: fill, cval: 9) == image)
    }

    @Test(arguments: FillMode.allCases)
    func integerShiftMovesPixelsExactlyAndFillsAsTheModeSays(fill: FillMode) {
        let image = Self.coded(9, 6)
        for (tx, ty) in [(2.0, -1.0), (-4.0, 3.0), (11.0, 0.0), (0.0, -8.0)] {
            let params = TransformParameters(tx: tx, ty: ty, fillMode: fill)
            let out = image.warped(by: params.matrix(width: 9, height: 6), fill: fill, cval: 0)
            for y in 0..<6 {
                for x in 0..<9 {
                    #expect(out[x, y] == Self.extended(image, x + Int(tx), y + Int(ty), fill, cval: 0), "\(fill) (\(tx),\(ty)) at \(x),\(y)")
                }
            }
        }
    }

    @Test func fillModesOnAKnownBorder() {
        // One row a b c d = 10 20 30 40; the content moved right by 3 pixels, then by half a pixel.
        let row = RGBImage(width: 4, height: 1, pixels: [10, 0, 0, 20, 0, 0, 30, 0, 0, 40, 0, 0])
        func reds(_ tx: Double, _ fill: FillMode) -> [UInt8] {
            let out = row.warped(by: TransformParameters(tx: tx).matrix(width: 4, height: 1), fill: fill, cval: 99)
            return (0..<4).map { out[$0, 0].red }
        }
        #expect(reds(-3, .nearest) == [10, 10, 10, 10])
        #expect(reds(-3, .constant) == [99, 99, 99, 10])
        #expect(reds(-3, .reflect) == [30, 20, 10, 10])
        #expect(reds(-3, .wrap) == [20, 30, 40, 10])
        // Between -1 and 0 the taps are the extension's: a a (nearest, reflect), d a (wrap).
        #expect(reds(-0.5, .nearest) == [10, 15, 25, 35])
        #expect(reds(-0.5, .reflect) == [10, 15, 25, 35])
        #expect(reds(-0.5, .wrap) == [25, 15, 25, 35])
        #expect(reds(-0.5, .constant) == [99, 15, 25, 35])
        #expect(reds(0.5, .constant) == [15, 25, 35, 99])
    }

    @Test(arguments: FillMode.allCases)
    func quarterTurnOfASquareIsATransposeAndFlip(fill: FillMode) {
        let n = 8
        let image = Self.coded(n, n)
        let out = image.warped(by: TransformParameters(theta: 90).matrix(width: n, height: n), fill: fill)
        // Counter-clockwise: the top-right corner comes to the top-left.
        for y in 0..<n { for x in 0..<n { #expect(out[x, y] == image[n - 1 - y, x]) } }
        let back = image.warped(by: TransformParameters(theta: -90).matrix(width: n, height: n), fill: fill)
        for y in 0..<n { for x in 0..<n { #expect(back[x, y] == image[y, n - 1 - x]) } }
        let half = image.warped(by: TransformParameters(theta: 180).matrix(width: n, height: n), fill: fill)
        for y in 0..<n { for x in 0..<n { #expect(half[x, y] == image[n - 1 - x, n - 1 - y]) } }
    }

    @Test func flipsAreExact() {
        let (w, h) = (6, 4)
        let image = Self.coded(w, h)
        let horizontal = image.warped(by: TransformParameters(flipHorizontal: true).matrix(width: w, height: h))
        let vertical = image.warped(by: TransformParameters(flipVertical: true).matrix(width: w, height: h))
        let both = image.warped(by: TransformParameters(flipHorizontal: true, flipVertical: true).matrix(width: w, height: h))
        for y in 0..<h {
            for x in 0..<w {
                #expect(horizontal[x, y] == image[w - 1 - x, y])
                #expect(vertical[x, y] == image[x, h - 1 - y])
                #expect(both[x, y] == image[w - 1 - x, h - 1 - y])
            }
        }
    }

    @Test func flipsComeAfterTheWarp() {
        // Keras flips the warped image: a shift then a flip moves the content the other way.
        let image = Self.coded(9, 3)
        let shifted = image.warped(by: TransformParameters(tx: 2).matrix(width: 9, height: 3))
        let shiftedThenFlipped = image.warped(by: TransformParameters(tx: 2, flipHorizontal: true).matrix(width: 9, height: 3))
        let expected = shifted.warped(by: TransformParameters(flipHorizontal: true).matrix(width: 9, height: 3))
        #expect(shiftedThenFlipped == expected)
    }

    @Test func zoomAboveOneZoomsOut() {
        // A white square image, constant black fill: zooming out shrinks it into the middle.
        let white = RGBImage(width: 21, height: 21, fill: .white)
        let out = white.warped(by: TransformParameters(zx: 2, zy: 2).matrix(width: 21, height: 21), fill: .constant, cval: 0)
        #expect(out[10, 10] == .white)
        #expect(out[5, 5] == .white && out[15, 15] == .white)      // maps to the source corners
        #expect(out[0, 0] == .black && out[20, 10] == .black && out[10, 3] == .black)
        let zoomedIn = white.warped(by: TransformParameters(zx: 0.5, zy: 0.5).matrix(width: 21, height: 21), fill: .constant)
        #expect(zoomedIn == white)
        // x and y zoom independently: zx = 2 alone narrows the content, keeps its height.
        let narrow = white.warped(by: TransformParameters(zx: 2, zy: 1).matrix(width: 21, height: 21), fill: .constant, cval: 0)
        #expect(narrow[10, 0] == .white && narrow[10, 20] == .white && narrow[0, 10] == .black)
    }

    @Test func widthShiftMovesTheImageHorizontally() {
        let image = Self.coded(10, 6)
        let out = image.warped(by: TransformParameters(tx: 3).matrix(width: 10, height: 6), fill: .constant)
        for y in 0..<6 {
            for x in 0..<7 { #expect(out[x, y] == image[x + 3, y]) }   // content moved left by tx
            for x in 7..<10 { #expect(out[x, y] == .black) }
        }
    }

    /// Every fill mode, random matrices: the kernel agrees with a plain double-precision
    /// bilinear on the same fixed-point positions within one level (the weights' rounding).
    @Test(arguments: FillMode.allCases)
    func matchesAReferenceBilinearOnRandomMatrices(fill: FillMode) {
        let image = TestImages.gradient(width: 23, height: 17)
        var generator = SeededGenerator(seed: 7)
        let sampler = TransformSampler(AugmentParameters(rotationRange: 180, widthShiftRange: .uniform(0.5),
                                                         heightShiftRange: .uniform(0.5), shearRange: 30,
                                                         zoomRange: .between(0.3, 2.5), horizontalFlip: true,
                                                         verticalFlip: true, fillMode: fill))
        for _ in 0..<40 {
            let params = sampler.sample(using: &generator, imageSize: PixelSize(width: 23, height: 17))
            let matrix = params.matrix(width: 23, height: 17)
            let size = PixelSize(width: 19, height: 26)
            let out = image.warped(by: matrix, size: size, fill: fill, cval: 77)
            for y in 0..<size.height {
                for x in 0..<size.width {
                    let expected = Self.reference(image, matrix, x, y, fill, cval: 77)
                    let got = out[x, y]
                    for (a, b) in [(got.red, expected.0), (got.green, expected.1), (got.blue, expected.2)] {
                        #expect(abs(Int(a) - b) <= 1, "\(fill) \(params) at \(x),\(y)")
                    }
                }
            }
        }
    }

    /// Brightness applied as the warp writes (8-pixel blocks, single pixels, fill) equals the
    /// warp followed by `PhotometricAdjust`.
    @Test(arguments: FillMode.allCases)
    func fusedBrightnessEqualsTheSeparatePass(fill: FillMode) {
        let source = WarpSource(TestImages.gradient(width: 61, height: 37))
        let sampler = TransformSampler(AugmentParameters(rotationRange: 90, widthShiftRange: .uniform(0.4), zoomRange: .between(0.5, 1.8), fillMode: fill))
        var generator = SeededGenerator(seed: 2)
        for factor in [0.0, 0.37, 1, 1.3, 2.9] {
            let matrix = sampler.sample(using: &generator, imageSize: PixelSize(width: 61, height: 37)).matrix(width: 61, height: 37)
            let size = PixelSize(width: 61, height: 37)
            var separate = source.warped(by: matrix, size: size, fill: fill, cval: 200)
            PhotometricAdjust(brightness: factor).apply(to: &separate)
            #expect(source.warped(by: matrix, size: size, fill: fill, cval: 200, brightness: factor) == separate, "\(fill) \(factor)")
        }
    }

    static func reference(_ image: RGBImage, _ m: AffineMatrix, _ x: Int, _ y: Int, _ fill: FillMode, cval: UInt8) -> (Int, Int, Int) {
        let unit = 4_294_967_296.0
        let u = AffineWarp.fixed(m.b * Double(y) + m.c) + Int64(x) * AffineWarp.fixed(m.a)
        let v = AffineWarp.fixed(m.e * Double(y) + m.f) + Int64(x) * AffineWarp.fixed(m.d)
        let w = image.width, h = image.height
        if fill == .constant && (u < 0 || u > Int64(w - 1) << 32 || v < 0 || v > Int64(h - 1) << 32) {
            return (Int(cval), Int(cval), Int(cval))
        }
        let ix = Int(u >> 32), iy = Int(v >> 32)
        let fx = Double(u - Int64(ix) << 32) / unit, fy = Double(v - Int64(iy) << 32) / unit
        func sample(_ i: Int, _ j: Int) -> RGBColor { image[fill.sourceIndex(i, count: w), fill.sourceIndex(j, count: h)] }
        let (a, b, c, d) = (sample(ix, iy), sample(ix + 1, iy), sample(ix, iy + 1), sample(ix + 1, iy + 1))
        func mix(_ k: KeyPath<RGBColor, UInt8>) -> Int {
            let top = Double(a[keyPath: k]) * (1 - fx) + Double(b[keyPath: k]) * fx
            let bottom = Double(c[keyPath: k]) * (1 - fx) + Double(d[keyPath: k]) * fx
            return Int((top * (1 - fy) + bottom * fy).rounded())
        }
        return (mix(\.red), mix(\.green), mix(\.blue))
    }
}
