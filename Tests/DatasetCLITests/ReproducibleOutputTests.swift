import DatasetKit
import Foundation
import Testing

/// JPEG-to-JPEG `resize` and `augment` write the same bytes on every run, whatever the output
/// size: sizes that are not whole 16-pixel blocks used to differ run to run in their last
/// partial block row (the planar encoder read past the luma plane), so `--log`/`--replay` did
/// not reproduce them. Each run is a process of its own, as a user's reruns are.
@Suite struct ReproducibleOutputTests {
    /// Sizes whose width, height or both are not multiples of 16 (or 8, or 2).
    static let sizes = [(37, 29), (45, 23), (51, 17), (64, 33), (30, 64)]

    static func photo(width: Int, height: Int) -> [UInt8] {
        let image = RGBImage(width: width, height: height) { p in
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    p[i] = UInt8((x * 9 + y * 3) % 256); p[i + 1] = UInt8((y * 11) % 256); p[i + 2] = UInt8((x * y) % 256)
                }
            }
        }
        return try! ImageEncoder.encode(image, as: .jpeg(quality: 90, subsampling: .s420))
    }

    /// Every file under `a` has the same bytes under `b`, and there is at least one.
    static func expectSameFiles(_ s: Scratch, _ a: String, _ b: String, _ context: String) {
        #expect(!s.files(a).isEmpty, "\(context): nothing written")
        #expect(s.files(a) == s.files(b), "\(context)")
        for name in s.files(a) { #expect(s.read(a + "/" + name) == s.read(b + "/" + name), "\(context): \(name)") }
    }

    @Test func resizeWritesTheSameBytesTwice() throws {
        let s = Scratch()
        s.write("src/c/photo.jpg", Self.photo(width: 203, height: 151))
        for (w, h) in Self.sizes {
            for run in ["one", "two"] {
                let r = try CLI.run(["resize", s.path + "/src", "--to", s.path + "/\(w)x\(h)-\(run)", "--size", "\(w)x\(h)", "-j", "1", "-q"])
                #expect(r.status == 0, "\(r.stderr)")
            }
            Self.expectSameFiles(s, "\(w)x\(h)-one", "\(w)x\(h)-two", "resize to \(w)x\(h)")
        }
    }

    @Test func augmentWritesTheSameBytesTwice() throws {
        let s = Scratch()
        for (w, h) in Self.sizes { s.write("src/c/\(w)x\(h).jpg", Self.photo(width: w, height: h)) }
        let flags = ["--copies", "2", "--rotation-range", "30", "--zoom-range", "0.2", "--horizontal-flip",
                     "--brightness-range", "0.7,1.3", "-j", "1", "-q"]
        for run in ["one", "two"] {
            let r = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/aug-" + run] + flags)
            #expect(r.status == 0, "\(r.stderr)")
            // With --size the planes are resized first, then warped: an output size of its own.
            let sized = try CLI.run(["augment", s.path + "/src", "--to", s.path + "/sized-" + run, "--size", "45x23"] + flags)
            #expect(sized.status == 0, "\(sized.stderr)")
        }
        Self.expectSameFiles(s, "aug-one", "aug-two", "augment")
        Self.expectSameFiles(s, "sized-one", "sized-two", "augment --size 45x23")
    }
}
