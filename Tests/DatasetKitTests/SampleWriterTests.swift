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
