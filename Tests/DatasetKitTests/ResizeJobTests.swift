import Foundation
import Testing
@testable import DatasetKit

@Suite struct ResizeJobTests {
    let jpeg = JPEGFixtures.encode(TestImages.gradient(width: 120, height: 90), kind: .baseline420)

    /// Runs the job over `folder/src` into `folder/out` as the CLI does.
    func run(_ job: ResizeJob, _ folder: TemporaryFolder, jobs: Int = 2, strict: Bool = false) throws -> RunSummary {
        let tree = try FileTree(root: folder.path + "/src", excluding: [folder.path + "/src/out"])
        let mappings = job.plan(tree)
        for m in mappings {
            try FileIO.createDirectories(folder.path + "/out/" + (m.destination as NSString).deletingLastPathComponent)
        }
        let outcomes = ParallelRunner.run(count: mappings.count, jobs: jobs, stopOnFailure: strict) { i in
            job.process(source: tree.root + "/" + mappings[i].source, destination: folder.path + "/out/" + mappings[i].destination)
        }
        return RunSummary(command: "resize", paths: mappings.map(\.source), outcomes: outcomes, seconds: 1)
    }

    @Test func mirrorsTheTreeAndSkipsNonImages() throws {
        let folder = TemporaryFolder()
        folder.write("src/train/cat/a.jpg", jpeg)
        folder.write("src/train/cat/b.JPEG", jpeg)
        folder.write("src/test/dog/c.jpg", jpeg)
        folder.write("src/train/cat/.DS_Store", [1, 2, 3])
        folder.write("src/train/cat/._a.jpg", [0, 5, 22, 7])
        folder.write("src/__MACOSX/train/x.jpg", jpeg)
        folder.write("src/notes.txt", Array("hello".utf8))
        let summary = try run(ResizeJob(spec: ResizeSpec(size: PixelSize(width: 32, height: 24))), folder)
        #expect(summary.done == 3 && summary.failed == 0)
        #expect(folder.files(under: "out") == ["test/dog/c.jpg", "train/cat/a.jpg", "train/cat/b.jpg"])
        let out = try ImageDecoder.decode(FileIO.read(folder.path + "/out/train/cat/a.jpg"))
        #expect(out.image.width == 32 && out.image.height == 24)
    }

    @Test func rerunSkipsFinishedOutputsAndOverwriteRedoes() throws {
        let folder = TemporaryFolder()
        for i in 0..<6 { folder.write("src/c/\(i).jpg", jpeg) }
        let job = ResizeJob(spec: ResizeSpec(size: PixelSize(width: 16, height: 16)))
        #expect(try run(job, folder).done == 6)
        // Simulate an interrupted run: one output missing, a stale temporary left behind.
        try FileManager.default.removeItem(atPath: folder.path + "/out/c/3.jpg")
        folder.write("out/c/.3.jpg.999-1" + FileIO.temporarySuffix, [1, 2])
        let second = try run(job, folder)
        #expect(second.done == 1 && second.skipped == 5)
        var again = job
        again.overwrite = true
        #expect(try run(again, folder).done == 6)
        #expect(folder.files(under: "out").filter { !$0.contains(FileIO.temporarySuffix) }.count == 6)
    }

    @Test func reportsEachKindOfBadFileAndGoesOn() throws {
        let folder = TemporaryFolder()
        folder.write("src/c/good.jpg", jpeg)
        folder.write("src/c/empty.jpg", [])
        folder.write("src/c/truncated.jpg", Array(jpeg.prefix(jpeg.count / 2)))
        folder.write("src/c/text.jpg", Array("not an image at all".utf8))
        folder.write("src/c/garbage.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0])
        let summary = try run(ResizeJob(spec: ResizeSpec(size: PixelSize(width: 16, height: 16))), folder)
        #expect(summary.done == 1)
        #expect(summary.failed == 4)
        let reasons = Dictionary(uniqueKeysWithValues: summary.failures.map { ($0.path, $0.reason) })
        #expect(reasons["c/empty.jpg"] == "empty file (0 bytes)")
        #expect(reasons["c/truncated.jpg"]?.hasPrefix("truncated JPEG") == true)
        #expect(reasons["c/text.jpg"]?.hasPrefix("not an image we can read") == true)
        #expect(reasons["c/garbage.png"] != nil)
        // Nothing half-written under a final name.
        #expect(folder.files(under: "out") == ["c/good.jpg"])
    }

    @Test func strictStopsTakingWork() throws {
        let folder = TemporaryFolder()
        folder.write("src/c/0-bad.jpg", [])
        for i in 1...20 { folder.write("src/c/\(i).jpg", jpeg) }
        let summary = try run(ResizeJob(spec: ResizeSpec(size: PixelSize(width: 8, height: 8))), folder, jobs: 1, strict: true)
        #expect(summary.failed == 1 && summary.notAttempted == 20 && !summary.succeeded)
    }

    @Test func namesNeverCollide() {
        let mapped = OutputNaming.mirror(["c/a.jpg", "c/a.png", "c/a.bmp", "c/b.png"]) { _ in "jpg" }
        #expect(mapped.map(\.destination) == ["c/a.jpg", "c/a_png.jpg", "c/a_bmp.jpg", "c/b.jpg"])
        #expect(Set(mapped.map(\.destination)).count == 4)
    }

    @Test func keepFormatKeepsTheSourceSpelling() {
        let keep = ImageOutput(format: .keep)
        #expect(keep.outputExtension(forSource: "a/b.JPEG") == "JPEG")
        #expect(keep.outputExtension(forSource: "a/b.png") == "png")
        #expect(keep.outputExtension(forSource: "a/b.bmp") == "png")
        #expect(keep.encodeFormat(forSource: "a/b.jpg") == .jpeg(quality: 90, subsampling: .s420))
        #expect(ImageOutput(format: .png).outputExtension(forSource: "x.jpg") == "png")
    }

    @Test func sameBytesWhateverTheThreadCount() throws {
        let folder = TemporaryFolder()
        for i in 0..<12 { folder.write("src/c/\(i).jpg", JPEGFixtures.encode(TestImages.gradient(width: 50 + i, height: 40), kind: .baseline420)) }
        let job = ResizeJob(spec: ResizeSpec(size: PixelSize(width: 20, height: 20)), overwrite: true)
        _ = try run(job, folder, jobs: 1)
        let first = try folder.files(under: "out").map { try FileIO.read(folder.path + "/out/" + $0) }
        _ = try run(job, folder, jobs: 4)
        let second = try folder.files(under: "out").map { try FileIO.read(folder.path + "/out/" + $0) }
        #expect(first == second)
    }
}
