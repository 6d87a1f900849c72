import Foundation
@testable import DatasetKit

/// Small images with known pixels, built in code.
enum TestImages {
    /// A smooth, asymmetric gradient: every pixel differs from its mirror images, so flips and
    /// rotations are detectable, and JPEG compresses it well.
    static func gradient(width: Int, height: Int) -> RGBImage {
        RGBImage(width: width, height: height) { p in
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    p[i] = UInt8(x * 255 / max(1, width - 1))
                    p[i + 1] = UInt8(y * 255 / max(1, height - 1))
                    p[i + 2] = UInt8((x + 2 * y) * 255 / max(1, width - 1 + 2 * (height - 1)))
                }
            }
        }
    }

    /// Each pixel a distinct small integer code (for exact geometry checks).
    static func coded(width: Int, height: Int) -> RGBImage {
        RGBImage(width: width, height: height) { p in
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    p[i] = UInt8(x); p[i + 1] = UInt8(y); p[i + 2] = 7
                }
            }
        }
    }

    /// Peak signal-to-noise ratio between two images of equal size (infinity when equal).
    static func psnr(_ a: RGBImage, _ b: RGBImage) -> Double {
        precondition(a.width == b.width && a.height == b.height)
        var sum = 0.0
        for i in a.pixels.indices {
            let d = Double(a.pixels[i]) - Double(b.pixels[i])
            sum += d * d
        }
        let mse = sum / Double(a.pixels.count)
        return mse == 0 ? .infinity : 10 * log10(255 * 255 / mse)
    }

    /// The largest per-channel difference.
    static func maxDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
        zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}

/// A fresh temporary folder, removed when the test ends.
final class TemporaryFolder: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "dataset-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` at `relative`, creating folders.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    /// All regular files below `relative`, relative to it, sorted.
    func files(under relative: String = "") -> [String] {
        let root = relative.isEmpty ? path : path + "/" + relative
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let item = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + item, isDirectory: &isDir), !isDir.boolValue { out.append(item) }
        }
        return out.sorted()
    }
}
