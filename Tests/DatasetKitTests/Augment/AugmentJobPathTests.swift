import Testing
@testable import DatasetKit

/// Which pixels `AugmentJob` starts a copy from: a JPEG's planes for JPEG output, RGB otherwise,
/// and the two agree up to JPEG's own chroma handling.
@Suite struct AugmentJobPathTests {
    static let photo = TestImages.gradient(width: 64, height: 48)

    static func job(_ parameters: AugmentParameters = .tutorial, format: OutputFormatChoice = .jpg,
                    resize: ResizeSpec? = nil) -> AugmentJob {
        AugmentJob(sampler: TransformSampler(parameters), seed: 5, output: ImageOutput(format: format, quality: 95), resize: resize)
    }

    static func run(_ job: AugmentJob, _ jpeg: [UInt8], outputs: [AugmentOutput]) throws -> (TemporaryFolder, AugmentJob.Result) {
        let folder = TemporaryFolder()
        folder.write("in/a/p.jpg", jpeg)
        try FileIO.createDirectories(folder.path + "/out/a")
        let task = AugmentTask(item: AugmentItem(source: "a/p.jpg", group: "a"), outputs: outputs)
        let result = job.process(task, sourceRoot: folder.path + "/in", destinationRoot: folder.path + "/out")
        #expect(result.sourceFailure == nil)
        return (folder, result)
    }

    static func decoded(_ folder: TemporaryFolder, _ relative: String) throws -> RGBImage {
        try ImageDecoder.decode(try FileIO.read(folder.path + "/out/" + relative)).image
    }

    @Test(arguments: [JPEGFixtures.Kind.baseline420, .baseline444, .grayscale])
    func jpegCopiesFromPlanesMatchTheRGBPath(kind: JPEGFixtures.Kind) throws {
        let jpeg = JPEGFixtures.encode(Self.photo, kind: kind, quality: 98)
        var parameters = AugmentParameters.tutorial
        parameters.brightnessRange = ValueRange(lower: 0.7, upper: 1.3)
        let job = Self.job(parameters)
        let (folder, result) = try Self.run(job, jpeg, outputs: (1...4).map { AugmentOutput(destination: "a/p_aug\($0).jpg", kind: .sampled(index: $0)) })
        let rgb = try ImageDecoder.decode(jpeg).image
        for (i, parameters) in result.parameters.enumerated() {
            let viaRGB = try ImageDecoder.decode(try ImageEncoder.encode(job.augmented(WarpSource(rgb), parameters!),
                                                                        as: .jpeg(quality: 95, subsampling: .s420))).image
            let got = try Self.decoded(folder, "a/p_aug\(i + 1).jpg")
            #expect(TestImages.psnr(got, viaRGB) > 36, "\(kind) copy \(i + 1): \(TestImages.psnr(got, viaRGB)) dB")
        }
    }

    @Test func channelShiftCopiesAndPNGOutputStayInRGB() throws {
        let jpeg = JPEGFixtures.encode(Self.photo, kind: .baseline420)
        let rgb = try ImageDecoder.decode(jpeg).image
        var parameters = AugmentParameters.tutorial
        parameters.channelShiftRange = 40
        for (job, ext) in [(Self.job(parameters), "jpg"), (Self.job(format: .png), "png")] {
            let (folder, result) = try Self.run(job, jpeg, outputs: [AugmentOutput(destination: "a/p_aug1.\(ext)", kind: .sampled(index: 1))])
            let expected = try ImageEncoder.encode(job.augmented(WarpSource(rgb), result.parameters[0]!),
                                                   as: job.output.encodeFormat(forSource: "a/p.jpg"))
            #expect(try FileIO.read(folder.path + "/out/a/p_aug1.\(ext)") == expected, "\(ext)")
        }
    }

    @Test func originalsOfRotatedOrResizedJPEGsAreEncodedFromThePlanes() throws {
        // EXIF orientation 6: the original is re-encoded upright, and the copies see it upright.
        let jpeg = JPEGFixtures.withOrientation(JPEGFixtures.encode(Self.photo, kind: .baseline420, quality: 98), 6)
        let identity = AugmentOutput(destination: "a/p_aug1.jpg", kind: .replayed(TransformParameters()))
        let (folder, _) = try Self.run(Self.job(), jpeg, outputs: [AugmentOutput(destination: "a/p.jpg", kind: .original), identity])
        let original = try Self.decoded(folder, "a/p.jpg")
        #expect(original.width == 48 && original.height == 64)
        #expect(TestImages.psnr(original, try ImageDecoder.decode(jpeg).image) > 36)
        #expect(try Self.decoded(folder, "a/p_aug1.jpg") == original)   // the same planes, encoded alike

        let resize = ResizeSpec(size: PixelSize(width: 32, height: 32))
        let (small, result) = try Self.run(Self.job(resize: resize), jpeg,
                                           outputs: [AugmentOutput(destination: "a/p.jpg", kind: .original),
                                                     AugmentOutput(destination: "a/p_aug1.jpg", kind: .sampled(index: 1))])
        #expect(result.outcomes.allSatisfy { if case .done = $0 { true } else { false } })
        for name in ["a/p.jpg", "a/p_aug1.jpg"] {
            let image = try Self.decoded(small, name)
            #expect(image.width == 32 && image.height == 32, "\(name)")
        }
    }
}
