import Foundation
import Testing
@testable import DatasetKit

@Suite struct SampleWriterTests {
    /// A layout whose third image cannot be made.
    struct Broken: SampleLayout {
        var target: SampleTarget
        var imageCount: Int { 4 }
        func entries() -> [SampleEntry] {
            [.directory("d")] + (0..<4).map { i in
                SampleEntry.image("d/\(i).jpg") { () throws(ImageError) in
                    if i == 2 { throw .encodeFailed(format: .jpeg, detail: "boom") }
                    return [UInt8(i)]
                }
            }
        }
    }

    @Test func aFailedImageLeavesNoArchive() throws {
        let folder = TemporaryFolder()
        let writer = SampleWriter(jobs: 2)
        #expect { try writer.write(Broken(target: .archive(name: "x.tar", format: .tar)), into: folder.path) } throws: { error in
            guard case .image(let path, _)? = error as? SampleWriteError else { return false }
            return path == "d/2.jpg" && "\(error)".contains("cannot make d/2.jpg") && "\(error)".contains("boom")
        }
        #expect(folder.files().isEmpty)
    }

    @Test func folderTargetsWriteFilesAndReportThem() throws {
        let (folder, report) = try SampleFixture.write(SampleFolders(classes: 2, perClass: 3, seed: 1, style: SampleFixture.tiny))
        #expect(folder.files() == SampleFolders(classes: 2, perClass: 3, seed: 1).files.sorted())
        #expect(report.output == folder.path && report.images == 6 && report.files == 6)
        let sizes = try folder.files().map { try FileIO.read(folder.path + "/" + $0).count }
        #expect(report.bytes == sizes.reduce(0, +))
        #expect(report.line.hasPrefix("wrote \(folder.path): 6 images, 6 files, "))
        let first = try ImageDecoder.decode(try FileIO.read(folder.path + "/apple_pie/apple_pie_000.jpg"))
        #expect(max(first.image.width, first.image.height) == 24)
    }

    @Test func foldersInSplitFoldersAsFruits360() throws {
        let sample = SampleFolders(classes: 2, perClass: 8, seed: 1, style: SampleFixture.tiny, splits: ["Training", "Test"])
        let (folder, report) = try SampleFixture.write(sample)
        #expect(report.images == 16)
        #expect(folder.files().filter { $0.hasPrefix("Training/apple_pie/") }.count == 6)
        #expect(folder.files().filter { $0.hasPrefix("Test/apple_pie/") } == ["Test/apple_pie/apple_pie_006.jpg", "Test/apple_pie/apple_pie_007.jpg"])
        #expect(try DatasetListing(folders: DatasetLayout(root: folder.path)).lists.map { $0.files.count } == [12, 4])
        // The same picture as without splits: only the folder differs.
        #expect(try sample.jpeg(classIndex: 1, index: 7) == SampleFolders(classes: 2, perClass: 8, seed: 1, style: SampleFixture.tiny).jpeg(classIndex: 1, index: 7))
        let three = SampleFolders(classes: 1, perClass: 3, seed: 1, splits: ["train", "val", "test"])
        #expect(three.files == ["train/apple_pie/apple_pie_000.jpg", "val/apple_pie/apple_pie_001.jpg", "test/apple_pie/apple_pie_002.jpg"])
    }

    @Test func reportsAFileWhereAFolderShouldBe() throws {
        let folder = TemporaryFolder()
        folder.write("products", [1])
        #expect(throws: SampleWriteError.self) {
            try SampleWriter(jobs: 1).write(SampleProducts(classes: 1, perClass: 1, seed: 1, side: 8), into: folder.path)
        }
        #expect(try FileIO.read(folder.path + "/products") == [1])
    }

    @Test func foldersKeepTheirNamesAndFixedQuality() throws {
        let style = SamplePhotoStyle(maxSide: 20, quality: 60)
        let a = try SampleFolders(classes: 1, perClass: 1, seed: 1, style: style).jpeg(classIndex: 0, index: 0)
        let b = try SampleFolders(classes: 1, perClass: 1, seed: 1, style: SamplePhotoStyle(maxSide: 20, quality: 95)).jpeg(classIndex: 0, index: 0)
        #expect(a.count < b.count)
        #expect(SampleFolders.className(17) == "cheese_plate" && SampleFolders.className(101) == "class_101")
    }
}
