import Foundation
@testable import DatasetKit

/// Small labelled datasets written on the fly, and the pack job run over them.
enum PackFixtures {
    /// A distinct picture per index: a gradient tinted by `index`, `width`x`height`.
    static func picture(_ index: Int, width: Int = 40, height: Int = 30) -> RGBImage {
        RGBImage(width: width, height: height) { p in
            for y in 0..<height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    p[i] = UInt8((x * 255 / max(1, width - 1) + index * 37) % 256)
                    p[i + 1] = UInt8((y * 255 / max(1, height - 1) + index * 91) % 256)
                    p[i + 2] = UInt8((x * y + index * 13) % 256)
                }
            }
        }
    }

    static func jpeg(_ image: RGBImage, quality: Int = 92) -> [UInt8] {
        try! ImageEncoder.encode(image, as: .jpeg(quality: quality, subsampling: .s420))
    }

    static func png(_ image: RGBImage) -> [UInt8] { try! ImageEncoder.encode(image, as: .png(compressionLevel: 1)) }

    /// `train/{cat,dog}` and `test/{cat,dog}` with JPEGs (one large enough for DCT reduction)
    /// and a PNG; returns the folder.
    static func classFolders(_ folder: TemporaryFolder, under name: String = "src") -> String {
        folder.write("\(name)/train/cat/a.jpg", jpeg(picture(1, width: 200, height: 150)))
        folder.write("\(name)/train/cat/b.png", png(picture(2)))
        folder.write("\(name)/train/cat/c.jpg", jpeg(picture(3, width: 33, height: 47)))
        folder.write("\(name)/train/dog/d.jpg", jpeg(picture(4)))
        folder.write("\(name)/train/dog/e.jpg", jpeg(picture(5, width: 64, height: 64)))
        folder.write("\(name)/test/cat/f.jpg", jpeg(picture(6)))
        folder.write("\(name)/test/dog/g.png", png(picture(7, width: 17, height: 90)))
        return folder.path + "/" + name
    }

    static func run(_ job: PackJob, source: String, to output: String, jobs: Int = 2, strict: Bool = false) throws -> PackJob.Report {
        try job.run(PackInput.read(root: source), to: output, jobs: jobs, strict: strict)
    }

    static func job(_ width: Int = 16, _ height: Int = 12, format: ShardFormat = .npy, shardSize: Int = 1000) -> PackJob {
        PackJob(preparation: ImagePreparation(resize: ResizeSpec(size: PixelSize(width: width, height: height))), format: format,
                shardSize: shardSize)
    }

    /// Source paths per row of a shard's sidecar list.
    static func sources(_ path: String) throws -> [String] {
        String(decoding: try FileIO.read(path), as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
