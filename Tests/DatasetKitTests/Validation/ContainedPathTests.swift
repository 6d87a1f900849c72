import Foundation
import Testing
@testable import DatasetKit

@Suite struct ContainedPathTests {
    @Test func plainNamesAreOneComponent() throws {
        for good in ["a.jpg", "train-00000.images.npy", ".hidden", "...", "crème brûlée"] {
            #expect(PlainName.problem(good) == nil, "\(good)")
        }
        for bad in ["", ".", "..", "a/b", "../victim.txt", "/etc", "a\0b", String(repeating: "x", count: 256)] {
            #expect(PlainName.problem(bad) != nil, "\(bad)")
        }
        let error = #expect(throws: UntrustedPathError.self) { try PlainName("../victim.txt", from: "m.json: splits[0]") }
        #expect(error?.description == "m.json: splits[0]: '../victim.txt' is not one file name (it holds '/')")
    }

    @Test func relativePathsStayBelowTheirRoot() {
        for good in ["a", "cat/1.jpg", "a/b/c.png", "..a/b.."] { #expect(ContainedPath.isContained(good), "\(good)") }
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a/.", "a/", "a\0/b", "a/..", "\n/.."] {
            #expect(!ContainedPath.isContained(bad), "\(bad)")
        }
    }

    @Test func controlCharactersInMessagesAreEscaped() {
        let error = UntrustedPathError(source: "j.json", value: "x\ndone: 0 failed", reason: "climbs")
        #expect(error.description == "j.json: 'x\\ndone: 0 failed' climbs")
    }

    /// `cat -> /elsewhere`: `cat/1.jpg` is lexically fine but lives outside the root.
    @Test func symlinkedFoldersThatLeaveTheRootAreRefused() throws {
        let folder = TemporaryFolder()
        folder.write("outside/1.jpg", [1])
        folder.write("root/dog/2.jpg", [2])
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/root/cat", withDestinationPath: folder.path + "/outside")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/root/pup", withDestinationPath: "dog")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/root/dog/link.jpg", withDestinationPath: "../../outside/1.jpg")
        let root = folder.path + "/root"
        #expect(try ContainedPath("dog/2.jpg", from: "t").location(in: root) == root + "/dog/2.jpg")
        #expect(try ContainedPath("pup/2.jpg", from: "t").location(in: root) == root + "/pup/2.jpg")
        #expect(try ContainedPath("new/folder/3.jpg", from: "t").location(in: root) == root + "/new/folder/3.jpg")
        #expect(throws: UntrustedPathError.self) { try ContainedPath("cat/1.jpg", from: "t").location(in: root) }
        #expect(throws: UntrustedPathError.self) { try ContainedPath("cat/new/3.jpg", from: "t").location(in: root) }
        // The link itself is inside (a move or unlink acts on it); what it points to is not.
        #expect(throws: UntrustedPathError.self) { try ContainedPath("dog/link.jpg", from: "t").location(in: root) }
        #expect(try ContainedPath("dog/link.jpg", from: "t").location(in: root, followingFinalLink: false) == root + "/dog/link.jpg")
        #expect(throws: UntrustedPathError.self) {
            try ContainedPath("cat/1.jpg", from: "t").location(in: root, followingFinalLink: false)
        }
    }
}
