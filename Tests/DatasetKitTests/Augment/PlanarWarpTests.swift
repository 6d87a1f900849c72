import Testing
@testable import DatasetKit

/// The JPEG-to-JPEG path: planes warped one by one, chroma in its own sample coordinates.
@Suite struct PlanarWarpTests {
    static let tutorialWide = AugmentParameters(rotationRange: 180, widthShiftRange: .uniform(0.5), heightShiftRange: .uniform(0.5),
                                                shearRange: 30, zoomRange: .between(0.3, 2.5), horizontalFlip: true, verticalFlip: true)

    /// A plane whose samples all differ from their neighbours and mirror images.
    static func plane(_ w: Int, _ h: Int, seed: Int = 0) -> Plane {
        Plane(width: w, height: h, samples: (0..<(w * h)).map { UInt8(truncatingIfNeeded: ($0 &* 37 &+ seed &* 11 &+ ($0 / w) &* 5) % 251 + 2) })
    }

    /// An RGB image carrying `plane` in all three channels.
    static func gray(_ plane: Plane) -> RGBImage {
        RGBImage(width: plane.width, height: plane.height, pixels: plane.samples.flatMap { [$0, $0, $0] })
    }

    /// The plane kernel does the RGB kernel's arithmetic: a plane warps exactly as a channel.
    @Test(arguments: FillMode.allCases)
    func aPlaneWarpsExactlyAsAChannelOfRGB(fill: FillMode) {
        let plane = Self.plane(23, 17)
        let (planar, rgb) = (WarpSource(plane), WarpSource(Self.gray(plane)))
        var params = Self.tutorialWide
        params.fillMode = fill
        var generator = SeededGenerator(seed: 11)
        for brightness in [nil, 0.7, 1.3] {
            for _ in 0..<15 {
                let matrix = TransformSampler(params).sample(using: &generator, imageSize: PixelSize(width: 23, height: 17))
                    .matrix(width: 23, height: 17)
                let size = PixelSize(width: 19, height: 26)
                let tone = brightness.map(ToneCurve.brightness)
                let one = planar.warpedPlane(by: matrix, size: size, fill: fill, cval: 77, tone: tone)
                let three = rgb.warped(by: matrix, size: size, fill: fill, cval: 77, brightness: brightness)
                #expect(one.samples == stride(from: 0, to: three.pixels.count, by: 3).map { three.pixels[$0] }, "\(fill) \(matrix)")
            }
        }
    }

    static func yCbCr(_ w: Int, _ h: Int, chromaFactor f: Int) -> YCbCrImage {
        let cw = (w + f - 1) / f, ch = (h + f - 1) / f
        return YCbCrImage(luma: plane(w, h), chroma: [plane(cw, ch, seed: 1), plane(cw, ch, seed: 2)])
    }

    @Test(arguments: FillMode.allCases)
    func identityAndFlipsAndQuarterTurnsAreExactOnEveryPlane(fill: FillMode) {
        let n = 12
        let image = Self.yCbCr(n, n, chromaFactor: 2)
        let source = PlanarWarpSource(image)
        let size = PixelSize(width: n, height: n)
        func warp(_ p: TransformParameters) -> YCbCrImage {
            source.warped(by: p.matrix(width: n, height: n), size: size, subsampling: .s420, fill: fill, cval: 9)
        }
        #expect(warp(TransformParameters()) == image)
        let flipped = warp(TransformParameters(flipHorizontal: true))
        let turned = warp(TransformParameters(theta: 90))
        for (k, (out, turn)) in zip([flipped.luma] + flipped.chroma, [turned.luma] + turned.chroma).enumerated() {
            let src = k == 0 ? image.luma : image.chroma[k - 1]
            let m = src.width
            for y in 0..<m {
                for x in 0..<m {
                    #expect(out.samples[y * m + x] == src.samples[y * m + (m - 1 - x)], "plane \(k) flip at \(x),\(y)")
                    // Counter-clockwise: the top-right corner comes to the top-left.
                    #expect(turn.samples[y * m + x] == src.samples[x * m + (m - 1 - y)], "plane \(k) turn at \(x),\(y)")
                }
            }
        }
    }

    @Test func integerShiftsMoveChromaByHalfAsMuchIn420() {
        let image = Self.yCbCr(16, 10, chromaFactor: 2)
        let out = PlanarWarpSource(image).warped(by: TransformParameters(tx: 4, ty: -2).matrix(width: 16, height: 10),
                                                  size: PixelSize(width: 16, height: 10), subsampling: .s420, fill: .constant, cval: 50)
        let cb = image.chroma[0], got = out.chroma[0]
        for y in 0..<5 {
            for x in 0..<8 {
                let (sx, sy) = (x + 2, y - 1)
                let expected: UInt8 = (0..<8 ~= sx && 0..<5 ~= sy) ? cb.samples[sy * 8 + sx] : PlanarWarpSource.neutral
                #expect(got.samples[y * 8 + x] == expected, "at \(x),\(y)")
            }
        }
        #expect(out.luma.samples[0] == 50)   // constant fill: gray cval in luma, neutral chroma
    }

    @Test func chromaLayoutFollowsTheOutputNotTheSource() {
        // 4:4:4 source into 4:2:0: the identity lands each chroma sample between four source
        // samples, so it is their mean, the encoder's own box downsampling.
        let image = Self.yCbCr(8, 6, chromaFactor: 1)
        let out = PlanarWarpSource(image).warped(by: .identity, size: PixelSize(width: 8, height: 6), subsampling: .s420, fill: .nearest)
        #expect(out.luma == image.luma)
        let cb = image.chroma[0].samples
        for y in 0..<3 {
            for x in 0..<4 {
                let sum = [0, 1, 8, 9].map { Int(cb[(2 * y) * 8 + 2 * x + $0]) }.reduce(0, +)
                #expect(abs(Int(out.chroma[0].samples[y * 4 + x]) * 4 - sum) <= 2, "at \(x),\(y)")
            }
        }
        // And a 4:2:0 source into 4:4:4 gets chroma at the full size.
        let up = PlanarWarpSource(Self.yCbCr(8, 6, chromaFactor: 2)).warped(by: .identity, size: PixelSize(width: 8, height: 6),
                                                                             subsampling: .s444, fill: .nearest)
        #expect(up.chroma.allSatisfy { $0.width == 8 && $0.height == 6 })
        #expect(up.isLaidOut(for: .s444) && !up.isLaidOut(for: .s420))
    }

    @Test func brightnessScalesLumaAsPILAndChromaAboutNeutral() {
        let image = YCbCrImage(luma: Plane(width: 4, height: 4, value: 100),
                               chroma: [Plane(width: 2, height: 2, value: 128), Plane(width: 2, height: 2, value: 78)])
        let out = PlanarWarpSource(image).warped(by: .identity, size: PixelSize(width: 4, height: 4), subsampling: .s420,
                                                 fill: .nearest, brightness: 1.5)
        #expect(out.luma.samples.allSatisfy { $0 == 150 })
        #expect(out.chroma[0].samples.allSatisfy { $0 == 128 })    // gray stays gray
        #expect(out.chroma[1].samples.allSatisfy { $0 == 53 })     // 128 - 50·1.5
        #expect(ToneCurve.chroma(0).table == [UInt8](repeating: 128, count: 256))   // black has no colour
        #expect(ToneCurve.chroma(2).table[0] == 0 && ToneCurve.chroma(2).table[255] == 255)
        // On R, G, B and Y the curve is PIL's brightness, value for value.
        for factor in [0.0, 0.37, 0.8, 1, 1.2, 2.9] {
            #expect(ToneCurve.brightness(factor).table == PhotometricAdjust(brightness: factor).table(), "\(factor)")
        }
    }

    @Test func grayscaleSourcesGetNeutralChroma() {
        let image = YCbCrImage(luma: Self.plane(9, 7), chroma: [])
        let out = PlanarWarpSource(image).warped(by: TransformParameters(theta: 30).matrix(width: 9, height: 7),
                                                 size: PixelSize(width: 9, height: 7), subsampling: .s420, fill: .reflect)
        #expect(out.isLaidOut(for: .s420))
        #expect(out.chroma.allSatisfy { $0.samples.allSatisfy { $0 == 128 } })
        #expect(out.luma == WarpSource(image.luma).warpedPlane(by: TransformParameters(theta: 30).matrix(width: 9, height: 7),
                                                               size: PixelSize(width: 9, height: 7), fill: .reflect))
    }
}

/// Brightness above 1 on planes: where a channel would clip, as PIL clips it in RGB.
@Suite struct PlanarBrighteningTests {
    /// A 4x2 picture, two 2x2 blocks of one colour each, as 4:2:0 planes (JFIF conversion).
    static func planes(_ left: (Float, Float, Float), _ right: (Float, Float, Float)) -> YCbCrImage {
        func ycc(_ c: (Float, Float, Float)) -> (UInt8, UInt8, UInt8) {
            let (r, g, b) = c
            func byte(_ v: Float) -> UInt8 { UInt8(min(max(v.rounded(), 0), 255)) }
            return (byte(0.299 * r + 0.587 * g + 0.114 * b), byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b),
                    byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b))
        }
        let (l, rr) = (ycc(left), ycc(right))
        return YCbCrImage(luma: Plane(width: 4, height: 2, samples: [l.0, l.0, rr.0, rr.0, l.0, l.0, rr.0, rr.0]),
                          chroma: [Plane(width: 2, height: 1, samples: [l.1, rr.1]), Plane(width: 2, height: 1, samples: [l.2, rr.2])])
    }

    static func rgb(_ image: YCbCrImage, x: Int) -> (Float, Float, Float) {
        let y = Float(image.luma.samples[x]), b = Float(image.chroma[0].samples[x / 2]) - 128, r = Float(image.chroma[1].samples[x / 2]) - 128
        return (y + 1.402 * r, y - 0.344136 * b - 0.714136 * r, y + 1.772 * b)
    }

    @Test func clippingColoursTurnTowardsWhiteAsInRGBAndOthersScale() {
        let image = Self.planes((250, 240, 170), (90, 60, 40))
        let out = image.brightened(by: 1.4, chromaFactor: 2)
        // The light colour: PIL gives (255, 255, 238); scaling Y and chroma would keep it yellow.
        let light = Self.rgb(out, x: 0)
        for (got, expected) in [(light.0, 255), (light.1, 255), (light.2, 238)] as [(Float, Float)] {
            #expect(abs(min(got, 255) - expected) <= 3, "\(light)")
        }
        // The dark one clips nowhere: a plain scale of Y and of the chroma about neutral.
        #expect(out.luma.samples[2] == UInt8(ToneCurve.brightness(1.4).apply(Int32(image.luma.samples[2]))))
        #expect(out.chroma[0].samples[1] == UInt8(ToneCurve.chroma(1.4).apply(Int32(image.chroma[0].samples[1]))))
        let dark = Self.rgb(out, x: 2)
        for (got, expected) in [(dark.0, 126), (dark.1, 84), (dark.2, 56)] as [(Float, Float)] {
            #expect(abs(got - expected) <= 3, "\(dark)")
        }
    }

    @Test func warpedPlanesUseItAboveOneOnly() {
        let image = Self.planes((250, 240, 170), (90, 60, 40))
        let source = PlanarWarpSource(image)
        let size = PixelSize(width: 4, height: 2)
        #expect(source.warped(by: .identity, size: size, subsampling: .s420, fill: .nearest, brightness: 1.4)
                == image.brightened(by: 1.4, chromaFactor: 2))
        let dimmer = source.warped(by: .identity, size: size, subsampling: .s420, fill: .nearest, brightness: 0.5)
        #expect(dimmer.luma.samples == image.luma.samples.map { UInt8(ToneCurve.brightness(0.5).apply(Int32($0))) })
    }

    /// The rule written out plainly, pixel by pixel: blocks whose brightest Y plus a channel's
    /// chroma offset exceeds 255 / factor go through RGB (clip per channel, mean chroma back);
    /// the others get the tone curves.
    static func reference(_ image: YCbCrImage, factor k: Float) -> YCbCrImage {
        var out = image
        let (w, h, cw, ch) = (image.width, image.height, image.chroma[0].width, image.chroma[0].height)
        let (yc, cc) = (ToneCurve.brightness(Double(k)), ToneCurve.chroma(Double(k)))
        for cy in 0..<ch { for cx in 0..<cw {
            let xs = (2 * cx)..<min(2 * cx + 2, w), ys = (2 * cy)..<min(2 * cy + 2, h)
            let cbv = image.chroma[0].samples[cy * cw + cx], crv = image.chroma[1].samples[cy * cw + cx]
            let (b, r) = (Float(cbv) - 128, Float(crv) - 128)
            let offsets = (1.402 * r, -0.344136 * b - 0.714136 * r, 1.772 * b)
            let brightest = ys.flatMap { y in xs.map { image.luma.samples[y * w + $0] } }.max()!
            guard Float(brightest) + max(offsets.0, offsets.2, offsets.1) > 255 / k else {
                for y in ys { for x in xs { out.luma.samples[y * w + x] = UInt8(yc.apply(Int32(image.luma.samples[y * w + x]))) } }
                out.chroma[0].samples[cy * cw + cx] = UInt8(cc.apply(Int32(cbv)))
                out.chroma[1].samples[cy * cw + cx] = UInt8(cc.apply(Int32(crv)))
                continue
            }
            func byte(_ v: Float) -> UInt8 { UInt8((min(max(v, 0), 255) + 0.5).rounded(.down)) }
            func channel(_ v: Float) -> Float { min((max(v, 0) * k).rounded(.down), 255) }
            var sums: (Float, Float, Float) = (0, 0, 0)
            for y in ys { for x in xs {
                let l = Float(image.luma.samples[y * w + x])
                let (rr, gg, bb) = (channel(l + offsets.0), channel(l + offsets.1), channel(l + offsets.2))
                out.luma.samples[y * w + x] = byte(0.299 * rr + 0.587 * gg + 0.114 * bb)
                sums = (sums.0 + rr, sums.1 + gg, sums.2 + bb)
            } }
            let n = Float(xs.count * ys.count), (mr, mg, mb) = (sums.0 / n, sums.1 / n, sums.2 / n)
            out.chroma[0].samples[cy * cw + cx] = byte(128 - 0.168736 * mr - 0.331264 * mg + 0.5 * mb)
            out.chroma[1].samples[cy * cw + cx] = byte(128 + 0.5 * mr - 0.418688 * mg - 0.081312 * mb)
        } }
        return out
    }

    @Test(arguments: [(34, 18), (33, 17)])
    func randomBrightPlanesMatchThePlainRule(size: (Int, Int)) {
        var generator = SeededGenerator(seed: 7)
        let (w, h) = size, (cw, ch) = ((w + 1) / 2, (h + 1) / 2)
        func plane(_ pw: Int, _ ph: Int, _ range: ClosedRange<UInt8>) -> Plane {
            Plane(width: pw, height: ph, samples: (0..<pw * ph).map { _ in UInt8.random(in: range, using: &generator) })
        }
        let image = YCbCrImage(luma: plane(w, h, 120...250), chroma: [plane(cw, ch, 60...200), plane(cw, ch, 60...200)])
        for k in [1.05, 1.2, 1.6] {
            let out = image.brightened(by: k, chromaFactor: 2), expected = Self.reference(image, factor: Float(k))
            #expect(out == expected, "factor \(k)")
        }
    }
}
