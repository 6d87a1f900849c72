import Testing
@testable import DatasetKit

/// Encoding YCbCr planes must depend on the picture's samples alone. TurboJPEG reads the luma
/// plane padded to whole chroma samples; handed an unpadded plane it read past its end, so
/// JPEG-to-JPEG `resize` and `augment` wrote different bytes on every run.
@Suite struct JPEGPlaneEncodingTests {
    /// A `width` x `height` 4:2:0 image whose luma array holds `junk` past its last sample (in
    /// its spare capacity, where an over-read finds it).
    static func planes(width: Int, height: Int, junk: UInt8) -> YCbCrImage {
        let spare = 4 * width + 64
        var samples = [UInt8](repeating: junk, count: width * height + spare)
        for y in 0..<height { for x in 0..<width { samples[y * width + x] = UInt8((x * 7 + y * 5) % 256) } }
        samples.removeLast(spare)  // keeps the capacity, and the junk in it
        let (cw, ch) = ((width + 1) / 2, (height + 1) / 2)
        let cb = Plane(width: cw, height: ch, samples: (0..<(cw * ch)).map { UInt8(100 + $0 % 40) })
        let cr = Plane(width: cw, height: ch, samples: (0..<(cw * ch)).map { UInt8(150 - $0 % 30) })
        return YCbCrImage(luma: Plane(width: width, height: height, samples: samples), chroma: [cb, cr])
    }

    @Test(arguments: [(37, 29), (45, 23), (16, 17), (33, 32), (1, 1)])
    func bytesDependOnlyOnTheVisibleSamples(size: (Int, Int)) throws {
        let clean = Self.planes(width: size.0, height: size.1, junk: 0)
        let dirty = Self.planes(width: size.0, height: size.1, junk: 255)
        #expect(clean == dirty)
        let a = try ImageEncoder.encodeJPEG(clean, quality: 90, subsampling: .s420)
        let b = try ImageEncoder.encodeJPEG(dirty, quality: 90, subsampling: .s420)
        #expect(a == b, "\(size.0)x\(size.1)")
    }

    /// The padding repeats the edge, as libjpeg extends an RGB image, so the planar and the RGB
    /// encoder see the same blocks at the picture's edge.
    @Test func paddingRepeatsTheLastColumnAndRow() {
        let plane = Plane(width: 3, height: 2, samples: [1, 2, 3, 4, 5, 6])
        #expect(plane.padded(toWidth: 4, height: 3).samples == [1, 2, 3, 3, 4, 5, 6, 6, 4, 5, 6, 6])
        #expect(plane.padded(toWidth: 3, height: 2) == plane)
    }
}
