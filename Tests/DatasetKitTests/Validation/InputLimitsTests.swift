import Foundation
import Testing
@testable import DatasetKit

/// The documented limits: file size checked before reading, pixels of decoded images and of a
/// resize's output, and `--size` sides.
@Suite struct InputLimitsTests {
    @Test func anImageFileOverTheLimitIsRefusedBeforeReading() throws {
        let folder = TemporaryFolder()
        let path = folder.write("big.jpg", [UInt8](repeating: 7, count: 2_000))
        do {
            _ = try FileIO.readImage(path, limits: InputLimits(maxFileBytes: 1_000))
            Issue.record("read a file over the limit")
        } catch {
            #expect(error.path == path)
            #expect(error.description.contains("2.0 kB") && error.description.contains("1.0 kB"))
            #expect(error.description.contains("--max-file-size"))
        }
        #expect(try FileIO.readImage(path, limits: InputLimits(maxFileBytes: 2_000)).count == 2_000)
    }

    /// The default limit refuses a 300 MB file (sparse: no disk is used) without reading it.
    @Test func theDefaultLimitRefusesAHugeFile() throws {
        let folder = TemporaryFolder()
        let path = folder.write("huge.jpg", [])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 300_000_000)
        try handle.close()
        #expect(throws: FileError.self) { try FileIO.readImage(path, limits: InputLimits()) }
        let job = ResizeJob(spec: ResizeSpec(size: PixelSize(width: 8, height: 8)))
        guard case .failed(let reason) = job.process(source: path, destination: folder.path + "/out.jpg") else {
            Issue.record("a 300 MB file was resized"); return
        }
        #expect(reason.contains("300 MB") && reason.contains("--max-file-size"))
    }

    @Test func aResizeWhoseOutputIsOverThePixelLimitFailsBeforeAllocating() throws {
        let folder = TemporaryFolder()
        // 100x2 with the shorter side to 400: a 20000x400 output.
        let thin = try ImageEncoder.encode(TestImages.gradient(width: 100, height: 2), as: .png(compressionLevel: 1))
        let source = folder.write("thin.png", thin)
        let spec = ResizeSpec(size: PixelSize(width: 400, height: 400), mode: .shorter)
        for format in [OutputFormatChoice.jpg, .png] {
            let job = ResizeJob(spec: spec, output: ImageOutput(format: format), decode: DecodeOptions(maxPixels: 1_000_000))
            guard case .failed(let reason) = job.process(source: source, destination: folder.path + "/out-\(format)") else {
                Issue.record("\(format): resized past the pixel limit"); continue
            }
            #expect(reason == ImageError.outputTooLarge(width: 20_000, height: 400, limit: 1_000_000).description)
        }
        #expect(throws: ImageError.outputTooLarge(width: 20_000, height: 400, limit: 1_000_000)) {
            try InputLimits(maxPixels: 1_000_000).checkResize(spec, of: PixelSize(width: 100, height: 2))
        }
        try InputLimits(maxPixels: 1_000_000).checkResize(spec, of: PixelSize(width: 100, height: 80))
    }

    @Test func decodersAllCheckPixelsTheSameWay() throws {
        let image = TestImages.gradient(width: 40, height: 30)
        let files: [[UInt8]] = [try ImageEncoder.encode(image, as: .jpeg(quality: 90, subsampling: .s420)),
                                try ImageEncoder.encode(image, as: .png(compressionLevel: 1))]
        for bytes in files {
            #expect(throws: ImageError.tooLarge(width: 40, height: 30, limit: 1_000)) {
                try ImageDecoder.decode(bytes, options: DecodeOptions(maxPixels: 1_000))
            }
        }
        #expect(ImageError.tooLarge(width: 40, height: 30, limit: 1_000).description.contains("--max-pixels"))
        #expect(throws: ImageError.tooLarge(width: Int.max, height: 2, limit: 10)) {
            try InputLimits(maxPixels: 10).checkPixels(width: Int.max, height: 2, format: .png)
        }
    }

    @Test func outputSidesAreLimited() {
        #expect(InputLimits.outputSizeProblem(PixelSize(width: 16_384, height: 16_384)) == nil)
        #expect(InputLimits.outputSizeProblem(PixelSize(width: 20_000, height: 20_000)) == "20000x20000 is over the limit of 16384 pixels a side")
        #expect(InputLimits.outputSizeProblem(PixelSize(width: 224, height: 16_385)) != nil)
    }
}
