import Foundation
import Testing
@testable import DatasetKit

@Suite struct CleanTests {
    static let photo = PackFixtures.picture(4, width: 96, height: 72)

    /// One file for each finding, plus clean ones.
    func fixture(_ folder: TemporaryFolder) -> String {
        let jpeg = PackFixtures.jpeg(Self.photo)
        folder.write("d/train/a/good.jpg", jpeg)
        folder.write("d/train/a/empty.jpg", [])
        folder.write("d/train/a/truncated.jpg", Array(jpeg.prefix(jpeg.count / 2)))
        folder.write("d/train/a/text.png", Array("hello, not an image".utf8))
        folder.write("d/train/a/misnamed.jpg", PackFixtures.png(PackFixtures.picture(9, width: 50, height: 50)))
        folder.write("d/train/b/cmyk.jpg", JPEGFixtures.adobeCMYK(inks: [UInt8](repeating: 40, count: 40 * 40 * 4), width: 40, height: 40))
        folder.write("d/train/b/deep.png", RawPNGWriter(width: 40, height: 40, colorType: .rgb, bitDepth: 16,
                                                        samples: (0..<4800).map { $0 * 13 % 65536 }).bytes())
        folder.write("d/train/b/alpha.png", RawPNGWriter(width: 40, height: 40, colorType: .rgba, bitDepth: 8,
                                                         samples: (0..<6400).map { $0 % 4 == 3 ? 128 : $0 % 251 }).bytes())
        folder.write("d/train/b/tiny.jpg", PackFixtures.jpeg(PackFixtures.picture(2, width: 20, height: 60)))
        folder.write("d/train/b/copy.jpg", jpeg)
        // The same picture re-encoded smaller and at another quality.
        folder.write("d/train/b/near.jpg", PackFixtures.jpeg(Self.photo.resized(ResizeSpec(size: PixelSize(width: 64, height: 48))), quality: 60))
        folder.write("d/test/a/leak.jpg", jpeg)
        folder.write("d/test/a/other.jpg", PackFixtures.jpeg(PackFixtures.picture(30, width: 80, height: 80).resized(
            ResizeSpec(size: PixelSize(width: 80, height: 80), mode: .stretch)).oriented(.left)))
        return folder.path + "/d"
    }

    func findings(_ root: String, dedupe: DedupeMode = .near) throws -> [CleanFinding] {
        let job = CleanJob(finder: CleanFinder(minSize: 32, dedupe: dedupe, nearThreshold: 6))
        return job.finder.findings(job.inspect(try FileTree(root: root), jobs: 2))
    }

    @Test func eachKindOfProblemIsFoundWithAReason() throws {
        let folder = TemporaryFolder()
        let found = try findings(fixture(folder))
        let kinds = Dictionary(grouping: found, by: \.path).mapValues { $0.map(\.kind) }
        #expect(kinds == [
            "train/a/empty.jpg": [.zeroByte],
            "train/a/truncated.jpg": [.truncated],
            "train/a/text.png": [.unreadable],
            "train/a/misnamed.jpg": [.misnamed],
            "train/b/cmyk.jpg": [.nonRGB],
            "train/b/deep.png": [.nonRGB],
            "train/b/alpha.png": [.nonRGB],
            "train/b/tiny.jpg": [.tiny],
            "train/b/copy.jpg": [.exactDuplicate],
            "train/b/near.jpg": [.nearDuplicate],
            "test/a/leak.jpg": [.leak],
        ])
        func reason(_ path: String) -> String { found.first { $0.path == path }!.reason }
        #expect(reason("train/b/cmyk.jpg").contains("CMYK") && reason("train/b/deep.png").contains("16-bit"))
        #expect(reason("train/b/alpha.png").contains("alpha") && reason("train/a/misnamed.jpg").contains("PNG data"))
        #expect(reason("train/b/tiny.jpg").contains("20x60"))
        #expect(found.first { $0.path == "train/b/copy.jpg" }?.original == "train/a/good.jpg")
        #expect(found.first { $0.path == "train/b/near.jpg" }?.original == "train/a/good.jpg")
        #expect(found.first { $0.path == "test/a/leak.jpg" }?.original == "train/a/good.jpg")
        #expect(reason("test/a/leak.jpg").contains("also in train"))
        // Exact mode does not look for near duplicates; none looks for no duplicates.
        #expect(try findings(folder.path + "/d", dedupe: .exact).filter { $0.kind == .nearDuplicate }.isEmpty)
        let none = try findings(folder.path + "/d", dedupe: .none)
        #expect(none.filter { [.exactDuplicate, .nearDuplicate].contains($0.kind) }.isEmpty && none.contains { $0.kind == .leak })
    }

    /// Splits as every reader sees them: a stray subfolder does not make class folders splits,
    /// and fruits-360's `Training/` is the train split whose copy is kept.
    @Test func splitsAreTheLayoutsSplits() throws {
        let folder = TemporaryFolder()
        let a = PackFixtures.jpeg(PackFixtures.picture(1, width: 64, height: 48))
        let b = PackFixtures.jpeg(PackFixtures.picture(2, width: 64, height: 48))
        folder.write("classes/cat/1.jpg", a)
        folder.write("classes/cat/2.jpg", b)
        folder.write("classes/dog/3.jpg", PackFixtures.jpeg(PackFixtures.picture(3, width: 64, height: 48)))
        folder.write("classes/dog/old/4.jpg", a)
        let stray = try findings(folder.path + "/classes", dedupe: .exact).filter { $0.kind == .leak || $0.kind == .exactDuplicate }
        #expect(stray.map(\.kind) == [.exactDuplicate] && stray.first?.path == "dog/old/4.jpg")

        folder.write("fruits/Test/Apple/1.jpg", a)
        folder.write("fruits/Training/Apple/2.jpg", a)
        folder.write("fruits/Training/Apple/3.jpg", b)
        let leaks = try findings(folder.path + "/fruits", dedupe: .exact).filter { $0.kind == .leak }
        #expect(leaks.map(\.path) == ["Test/Apple/1.jpg"] && leaks.first?.original == "Training/Apple/2.jpg")
        #expect(leaks.first?.reason.contains("also in train") == true)
    }

    @Test func perceptualHashesAreCloseForTheSamePictureAndFarOtherwise() throws {
        let a = PerceptualHash(Self.photo)
        let reencoded = try ImageDecoder.decode(PackFixtures.jpeg(Self.photo.resized(ResizeSpec(size: PixelSize(width: 50, height: 37))), quality: 50)).image
        #expect(a.distance(to: PerceptualHash(reencoded)) <= 4)
        #expect(a.distance(to: PerceptualHash(Self.photo.oriented(.down))) > 20)
        // The pigeonhole search finds exactly the pairs a full comparison finds.
        var generator = TestRandom(seed: 9)
        var hashes = (0..<300).map { _ in PerceptualHash(bits: generator.next()) }
        for i in 0..<40 { hashes.append(PerceptualHash(bits: hashes[i].bits ^ (1 << (generator.next() % 64)) ^ (1 << (generator.next() % 64)))) }
        let fast = PerceptualHash.nearPairs(hashes, threshold: 5).map { [$0.0, $0.1, $0.distance] }
        var slow: [[Int]] = []
        for i in hashes.indices { for j in (i + 1)..<hashes.count where hashes[i].distance(to: hashes[j]) <= 5 { slow.append([i, j, hashes[i].distance(to: hashes[j])]) } }
        #expect(fast == slow && fast.count >= 40)
    }

    @Test func quarantineMovesOffendersKeepingPathsAndDeletesNothing() throws {
        let folder = TemporaryFolder()
        let root = fixture(folder)
        let before = Set(folder.files(under: "d"))
        let job = CleanJob(finder: CleanFinder(dedupe: .near))
        let found = job.finder.findings(job.inspect(try FileTree(root: root), jobs: 2))
        let actions = job.apply(found, root: root, quarantine: folder.path + "/q", fix: false)
        #expect(actions.failures.isEmpty && actions.fixed.isEmpty)
        #expect(Set(actions.moved) == Set(found.map(\.path)))
        #expect(Set(folder.files(under: "q")) == Set(found.map(\.path)))
        #expect(Set(folder.files(under: "d")) == before.subtracting(found.map(\.path)))
        #expect(folder.files(under: "d").sorted() == ["classes.txt", "test/a/other.jpg", "train/a/good.jpg"].filter { before.contains($0) }.sorted() + [])
        // A rerun finds nothing left to do.
        #expect(job.finder.findings(job.inspect(try FileTree(root: root), jobs: 2)).isEmpty)
    }

    @Test func fixRewritesConvertibleImagesAsRGBJPEGAndKeepsTheOriginals() throws {
        let folder = TemporaryFolder()
        let root = fixture(folder)
        let job = CleanJob(finder: CleanFinder(dedupe: .none))
        let found = job.finder.findings(job.inspect(try FileTree(root: root), jobs: 2))
        let actions = job.apply(found, root: root, quarantine: folder.path + "/q", fix: true)
        #expect(actions.fixed == ["train/a/misnamed.jpg": "train/a/misnamed.jpg", "train/b/cmyk.jpg": "train/b/cmyk.jpg",
                                  "train/b/deep.png": "train/b/deep.jpg", "train/b/alpha.png": "train/b/alpha.jpg"])
        for path in actions.fixed.values {
            let decoded = try ImageDecoder.decode(FileIO.read(root + "/" + path))
            #expect(decoded.format == .jpeg && decoded.colorModel.isPlainRGB8, "\(path)")
        }
        #expect(Set(folder.files(under: "q")) == Set(found.map(\.path)))
        #expect(try ImageFormat.detect(FileIO.read(folder.path + "/q/train/a/misnamed.jpg")) == .png)
        #expect(!FileIO.exists(root + "/train/b/deep.png") && FileIO.exists(root + "/train/a/good.jpg"))
    }

    @Test func aMoveInterruptedAfterCopyingFinishesAndADifferentFileIsNotReplaced() throws {
        let folder = TemporaryFolder()
        let source = folder.write("a/x.jpg", [1, 2, 3])
        folder.write("q/x.jpg", [1, 2, 3])
        try FileIO.move(source, to: folder.path + "/q/x.jpg")
        #expect(!FileIO.exists(source))
        #expect(try FileIO.read(folder.path + "/q/x.jpg") == [1, 2, 3])
        let other = folder.write("a/y.jpg", [9])
        folder.write("q/y.jpg", [8])
        #expect(throws: FileError.self) { try FileIO.move(other, to: folder.path + "/q/y.jpg") }
        #expect(try FileIO.read(other) == [9])
        #expect(try FileIO.read(folder.path + "/q/y.jpg") == [8])
        try FileIO.move(folder.write("a/z.jpg", [5]), to: folder.path + "/q/new/z.jpg")
        #expect(try FileIO.read(folder.path + "/q/new/z.jpg") == [5])
    }
}
