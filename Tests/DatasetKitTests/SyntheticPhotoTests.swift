import Testing
@testable import DatasetKit

@Suite struct SyntheticPhotoTests {
    /// A hue x saturation histogram (48 x 4), normalised: what tells the classes apart is
    /// their colours and the shape's share of the picture, whatever the lighting and pose.
    static let bins = 48 * 4
    static func histogram(_ image: RGBImage) -> [Double] {
        var bins = [Double](repeating: 0, count: Self.bins)
        for i in Swift.stride(from: 0, to: image.pixels.count, by: 3) {
            let (hue, saturation) = SampleMultiLabelTests.hueSaturation(image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
            bins[min(47, Int(hue * 48)) * 4 + min(3, Int(saturation * 4))] += 1
        }
        let total = Double(image.width * image.height)
        return bins.map { $0 / total }
    }

    /// Even a nearest-centroid classifier on colour histograms tells all 101 classes apart on
    /// held-out images, so a small CNN has an easy job.
    @Test func all101ClassesAreSeparable() {
        let size = PixelSize(width: 40, height: 30)
        var centroids: [[Double]] = []
        for c in 0..<101 {
            var sum = [Double](repeating: 0, count: Self.bins)
            for n in 0..<6 {
                let h = Self.histogram(SyntheticPhoto.render(classIndex: c, index: n, size: size, seed: 1))
                for k in sum.indices { sum[k] += h[k] / 6 }
            }
            centroids.append(sum)
        }
        var correct = 0, total = 0
        for c in 0..<101 {
            for n in 6..<9 {
                let h = Self.histogram(SyntheticPhoto.render(classIndex: c, index: n, size: size, seed: 1))
                let distances = centroids.map { zip($0, h).reduce(0) { $0 + abs($1.0 - $1.1) } }
                if distances.firstIndex(of: distances.min()!) == c { correct += 1 }
                total += 1
            }
        }
        #expect(Double(correct) / Double(total) > 0.97, "\(correct) of \(total)")
    }

    @Test func sameArgumentsSamePixelsAndImagesDiffer() {
        let size = PixelSize(width: 16, height: 12)
        let a = SyntheticPhoto.render(classIndex: 2, index: 0, size: size, seed: 1)
        #expect(a == SyntheticPhoto.render(classIndex: 2, index: 0, size: size, seed: 1))
        #expect(a != SyntheticPhoto.render(classIndex: 2, index: 1, size: size, seed: 1))
        #expect(a != SyntheticPhoto.render(classIndex: 2, index: 0, size: size, seed: 2))
    }

    @Test func rgbaRenderIsTheSceneWithATransparentBackground() {
        let scene = SyntheticPhoto.scene(classIndex: 0, index: 0, seed: 1)
        let size = PixelSize(width: 30, height: 20)
        let rgb = scene.render(size: size), rgba = scene.renderRGBA(size: size, backgroundAlpha: 40)
        let alphas = Set(stride(from: 3, to: rgba.pixels.count, by: 4).map { rgba.pixels[$0] })
        #expect(alphas == [40, 255])
        let colours = (0..<(30 * 20)).flatMap { (i: Int) -> ArraySlice<UInt8> in rgba.pixels[(4 * i)..<(4 * i + 3)] }
        #expect(colours == rgb.pixels)
    }
}
