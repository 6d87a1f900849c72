import Foundation
import Testing
@testable import DatasetKit

/// `pack` records its image preparation whole (decode settings, resize, normalisation) and its
/// rows are exactly what that value prepares; manifests from before it read with the defaults.
@Suite struct PackPreparationTests {
    /// A 40x30 picture whose left half is transparent, as an RGBA PNG.
    static func halfTransparentPNG() -> [UInt8] {
        let picture = PackFixtures.picture(3)
        let alpha = (0..<(40 * 30)).map { $0 % 40 < 20 ? UInt8(0) : 255 }
        return try! ImageEncoder.encodePNG(RGBAImage(picture, alpha: alpha), compressionLevel: 1)
    }

    /// `src/train/{a,b}`: the half-transparent PNG and a JPEG whose EXIF tag turns it a quarter turn.
    static func source(_ folder: TemporaryFolder) -> String {
        folder.write("src/train/a/x.png", halfTransparentPNG())
        folder.write("src/train/b/y.jpg", JPEGFixtures.withOrientation(PackFixtures.jpeg(PackFixtures.picture(4, width: 64, height: 48)), 6))
        return folder.path + "/src"
    }

    @Test func theManifestRecordsThePreparationAndRowsAreWhatItPrepares() throws {
        let folder = TemporaryFolder()
        let source = Self.source(folder)
        let preparation = ImagePreparation(resize: ResizeSpec(size: PixelSize(width: 12, height: 10), mode: .crop),
                                           normalization: .caffe, background: .black, applyOrientation: false, dctReduction: false)
        let out = folder.path + "/out"
        let manifest = try #require(try PackFixtures.run(PackJob(preparation: preparation), source: source, to: out).manifest)
        #expect(manifest.preparation == preparation)
        #expect(try Manifest(path: out + "/" + Manifest.fileName).preparation == preparation)
        let images = try NPYReader(path: out + "/train-00000.images.npy")
        for (row, path) in try PackFixtures.sources(out + "/train-00000.files.txt").enumerated() {
            let bytes = try FileIO.read(source + "/" + path)
            #expect(Array(images.row(row)) == (try preparation.prepare(bytes).image.pixels), "\(path)")
            // The settings matter for these files: the default ones give other pixels.
            var defaults = preparation
            (defaults.background, defaults.applyOrientation) = (.white, true)
            #expect(Array(images.row(row)) != (try defaults.prepare(bytes).image.pixels), "\(path)")
        }
    }

    /// A manifest written before `preparation` existed: `resize` and `normalization` (named
    /// `imagenet`, without a channel order) at the top level.
    @Test func aManifestWithoutAPreparationReadsWithTheDefaultDecodeSettings() throws {
        let folder = TemporaryFolder()
        let out = folder.path + "/out"
        var job = PackFixtures.job()
        job.normalization = .torch
        _ = try PackFixtures.run(job, source: PackFixtures.classFolders(folder), to: out)
        let path = out + "/" + Manifest.fileName
        try HostileManifestTests.edit(path) { object in
            var preparation = object.removeValue(forKey: "preparation") as! [String: Any]
            var normalization = preparation["normalization"] as! [String: Any]
            normalization["kind"] = "imagenet"
            normalization["channelOrder"] = nil
            object["normalization"] = normalization
            object["resize"] = preparation.removeValue(forKey: "resize")
        }
        let manifest = try Manifest(path: path)
        #expect(manifest.preparation == ImagePreparation(resize: job.preparation.resize, normalization: .torch))
        // Written again, it holds the preparation in one place.
        let written = try #require(try JSONSerialization.jsonObject(with: Data(manifest.encoded())) as? [String: Any])
        #expect(written["preparation"] != nil && written["resize"] == nil && written["normalization"] == nil)
    }
}
