import Foundation
import Testing
@testable import DatasetKit

/// WebDataset shards read back sample by sample, and tars that do not hold what `pack` writes
/// refused with the shard and the member named.
@Suite struct WebDatasetReaderTests {
    /// A tar of `members` (name, bytes) in order.
    static func tar(_ path: String, _ members: [(String, [UInt8])], directory: String? = nil) throws {
        let writer = try ArchiveWriter(path: path, format: .tar)
        if let directory { try writer.addDirectory(path: directory) }
        for (name, data) in members { try writer.addFile(path: name, data: data) }
        try writer.finish()
    }

    static let image: [UInt8] = Array("not decoded here".utf8)

    @Test func readsTheSamplesPackWrites() throws {
        let folder = TemporaryFolder()
        try Self.tar(folder.path + "/a.tar", [("train-000000.jpg", Self.image), ("train-000000.cls", Array("1".utf8)),
                                              ("train-000001.jpg", Self.image), ("train-000001.cls", Array("0\n".utf8))])
        let reader = try WebDatasetReader(path: folder.path + "/a.tar", classes: 2, multiHot: false)
        let first = try #require(try reader.next())
        #expect(first.key == "train-000000" && first.label == .index(1) && first.image == Self.image)
        #expect(try reader.next()?.label == .index(0))
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)

        try Self.tar(folder.path + "/m.tar", [("k-0.jpg", Self.image), ("k-0.json", WebDatasetShardWriter.json([0, 1, 1], classes: ["x", "y", "z"]))])
        let multi = try WebDatasetReader(path: folder.path + "/m.tar", classes: 3, multiHot: true)
        #expect(try multi.next()?.label == .multiHot([0, 1, 1]))
    }

    @Test(arguments: [
        ([("k.jpg", image)], "has no .cls label"),
        ([("k.cls", Array("0".utf8))], "has no .jpg image"),
        ([("k.jpg", image), ("k.cls", Array("7".utf8))], "is not a class index 0-1"),
        ([("k.jpg", image), ("k.cls", Array("-1".utf8))], "is not a class index 0-1"),
        ([("k.jpg", image), ("k.jpg", image), ("k.cls", Array("0".utf8))], "holds two images"),
        ([("k.jpg", image), ("k.json", Array("{}".utf8))], "is not what a pack of class (.cls) labels holds"),
        ([("noextension", image)], "has no <key>.<extension> name"),
    ] as [([(String, [UInt8])], String)])
    func refusesWhatPackDoesNotWrite(_ members: [(String, [UInt8])], _ reason: String) throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/bad.tar"
        try Self.tar(path, members)
        let reader = try WebDatasetReader(path: path, classes: 2, multiHot: false)
        do {
            while try reader.next() != nil {}
            Issue.record("read without an error: \(members.map(\.0))")
        } catch {
            #expect(error.path == path && error.description.contains(reason), "\(error)")
        }
    }

    @Test func refusesABadMultiHotVectorAndAFolderMember() throws {
        let folder = TemporaryFolder()
        try Self.tar(folder.path + "/v.tar", [("k.jpg", Self.image), ("k.json", Array("{\"vector\":[1,2]}".utf8))])
        #expect(throws: WebDatasetError.self) { _ = try WebDatasetReader(path: folder.path + "/v.tar", classes: 2, multiHot: true).next() }
        try Self.tar(folder.path + "/d.tar", [("k.jpg", Self.image)], directory: "sub")
        do {
            _ = try WebDatasetReader(path: folder.path + "/d.tar", classes: 2, multiHot: false).next()
            Issue.record("a folder member was read")
        } catch {
            #expect(error.description.contains("is not a regular file"), "\(error)")
        }
    }
}
