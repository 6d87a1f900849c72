import Foundation
import Testing
@testable import DatasetKit

/// The JPEG-to-JPEG path resizes YCbCr planes; it must agree with resizing in RGB.
@Suite struct YCbCrPathTests {
    /// Odd-sized (TurboJPEG pads such planes), with gradients, a sharp-edged block and fine
    /// texture, so a misregistered plane or a stray padding column shows.
    static let photo: RGBImage = {
        var rng = SeededGenerator(seed: 3)
        return RGBImage(width: 203, height: 151) { p in
            for y in 0..<151 {
                for x in 0..<203 {
                    let i = (y * 203 + x) * 3
                    let inBlock = (60..<120).contains(x) && (40..<90).contains(y)
                    let grain = Int(rng.next() % 48) - 24 + ((x / 3 + y / 3) % 2) * 30
                    func px(_ v: Int) -> UInt8 { UInt8(max(0, min(255, v + grain))) }
                    p[i] = inBlock ? 230 : px(x * 255 / 202)
                    p[i + 1] = inBlock ? 40 : px(y * 255 / 150)
                    p[i + 2] = inBlock ? 60 : px((x + y) * 255 / 352)
                }
            }
        }
    }()

    /// Resizes through the planar path and through RGB, both ending as JPEG q95, and returns
    /// the PSNR between the two decoded results.
    func agreement(_ jpeg: [UInt8], _ spec: ResizeSpec, _ subsampling: ChromaSubsampling = .s420) throws -> (Double, RGBImage) {
        let planar = try #require(try ImageDecoder.decodeYCbCr(jpeg))
        let viaPlanes = try ImageDecoder.decode(ImageEncoder.encodeJPEG(planar.image.resized(spec, subsampling: subsampling),
                                                                         quality: 95, subsampling: subsampling)).image
        let viaRGB = try ImageDecoder.decode(ImageEncoder.encode(ImageDecoder.decode(jpeg).image.resized(spec),
                                                                 as: .jpeg(quality: 95, subsampling: subsampling))).image
        #expect(viaPlanes.width == viaRGB.width && viaPlanes.height == viaRGB.height)
        return (Self.lumaPSNR(viaPlanes, viaRGB), viaPlanes)
    }

    /// PSNR of the BT.601 luma of two images: where both paths must agree closely. (Chroma
    /// legitimately differs more: the planar path resamples it once at its own resolution,
    /// the RGB path upsamples, resizes and lets the encoder subsample again.)
    static func lumaPSNR(_ a: RGBImage, _ b: RGBImage) -> Double {
        var sum = 0.0
        for i in Swift.stride(from: 0, to: a.pixels.count, by: 3) {
            func y(_ p: [UInt8]) -> Double { 0.299 * Double(p[i]) + 0.587 * Double(p[i + 1]) + 0.114 * Double(p[i + 2]) }
            let d = y(a.pixels) - y(b.pixels)
            sum += d * d
        }
        let mse = sum / Double(a.pixels.count / 3)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    @Test(arguments: [ResizeMode.stretch, .crop, .shorter])
    func agreesWithRGBForEachMode(mode: ResizeMode) throws {
        for kind in [JPEGFixtures.Kind.baseline420, .baseline444, .progressive] {
            let jpeg = JPEGFixtures.encode(Self.photo, kind: kind, quality: 98)
            for size in [PixelSize(width: 64, height: 64), PixelSize(width: 101, height: 77), PixelSize(width: 300, height: 250)] {
                for filter in ResizeFilter.allCases where filter != .nearest {
                    let (psnr, _) = try agreement(jpeg, ResizeSpec(size: size, mode: mode, filter: filter))
                    #expect(psnr > 40, "\(kind) \(mode) \(size) \(filter): \(psnr) dB")
                }
            }
        }
    }

    @Test func agreesFor444Output() throws {
        let jpeg = JPEGFixtures.encode(Self.photo, kind: .baseline420, quality: 98)
        let (psnr, _) = try agreement(jpeg, ResizeSpec(size: PixelSize(width: 99, height: 75)), .s444)
        #expect(psnr > 36)
    }

    @Test func followsExifOrientation() throws {
        let jpeg = JPEGFixtures.withOrientation(JPEGFixtures.encode(Self.photo, kind: .baseline420, quality: 98), 6)
        let (psnr, out) = try agreement(jpeg, ResizeSpec(size: PixelSize(width: 75, height: 101)))
        #expect(psnr > 36)
        #expect(out.width == 75 && out.height == 101)
    }

    @Test func grayscaleBecomesNeutralRGB() throws {
        let jpeg = JPEGFixtures.encode(Self.photo, kind: .grayscale, quality: 98)
        let planar = try #require(try ImageDecoder.decodeYCbCr(jpeg))
        #expect(planar.image.chroma.isEmpty)
        let out = try ImageDecoder.decode(ImageEncoder.encodeJPEG(planar.image.resized(ResizeSpec(size: PixelSize(width: 50, height: 40)),
                                                                                        subsampling: .s420),
                                                                  quality: 95, subsampling: .s420))
        #expect(out.colorModel == ColorModel(.rgb))
        let p = out.image.pixels
        for i in Swift.stride(from: 0, to: p.count, by: 3) { #expect(abs(Int(p[i]) - Int(p[i + 2])) <= 2) }
    }

    @Test func cmykAndOtherFormatsHaveNoPlanarPath() throws {
        #expect(try ImageDecoder.decodeYCbCr(ImageEncoder.encode(Self.photo, as: .png(compressionLevel: 1))) == nil)
        let cmyk = JPEGFixtures.adobeCMYK(inks: [UInt8](repeating: 10, count: 8 * 8 * 4), width: 8, height: 8)
        #expect(try ImageDecoder.decodeYCbCr(cmyk) == nil)
    }

    @Test func dctReductionKeepsPlanesRegistered() throws {
        let big = JPEGFixtures.encode(TestImages.gradient(width: 640, height: 480), kind: .baseline420, quality: 98)
        let spec = ResizeSpec(size: PixelSize(width: 160, height: 120))
        let planar = try #require(try ImageDecoder.decodeYCbCr(big, options: DecodeOptions(reduceTo: spec.minimumSourceSize)))
        #expect(planar.image.width == 160 && planar.image.chroma[0].width == 80)  // 1/4 scale
        #expect(planar.originalSize == PixelSize(width: 640, height: 480))
    }
}
