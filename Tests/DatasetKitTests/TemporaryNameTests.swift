import Foundation
import Testing
import TestSupport
@testable import DatasetKit

@Suite struct TemporaryNameTests {
    /// `--shard` workers on several machines (containers are often all pid 1) write the same
    /// file into one shared folder: their temporary names must differ by host, not only pid.
    @Test func temporaryNamesCarryTheHostAndProcess() {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        let (a, b) = (FileIO.temporaryPath(for: "out/classes.txt"), FileIO.temporaryPath(for: "out/classes.txt"))
        #expect(a != b && a.hasPrefix("out/.classes.txt.") && a.hasSuffix(FileIO.temporarySuffix))
        #expect(a.contains(FileIO.processTag + "-") && FileIO.processTag.hasSuffix("-\(getpid())"))
        #expect(host.isEmpty || FileIO.processTag.hasPrefix(host), "\(FileIO.processTag) vs \(host)")
    }
}

@Suite struct LongNameAndStaleTemporaryTests {
    /// A final name of 255 bytes (the most a file system allows) still gets a temporary name
    /// that fits: writes, links, copies and streamed outputs all land under the long name.
    @Test func temporaryNamesFitNameMaxWhateverTheFinalName() throws {
        let folder = TemporaryFolder()
        let ascii = String(repeating: "a", count: 251) + ".jpg"
        let wide = String(repeating: "é", count: 125) + ".jpg"  // 254 bytes, 2 per character
        for name in [ascii, wide] {
            #expect(FileIO.split(FileIO.temporaryPath(for: folder.path + "/" + name)).1.utf8.count <= Int(NAME_MAX))
            let path = folder.path + "/" + name
            try FileIO.writeAtomically([1, 2, 3], to: path)
            #expect(try FileIO.read(path) == [1, 2, 3])
            try FileIO.createDirectories(folder.path + "/l")
            try FileIO.linkAtomically(path, to: folder.path + "/l/" + name)
            #expect(try FileIO.read(folder.path + "/l/" + name) == [1, 2, 3])
            try FileTransfer.copy(path, to: folder.path + "/c-" + name.dropFirst(2))
            let output = try AtomicFileOutput(path: folder.path + "/s-" + name.dropFirst(2))
            try output.write([4, 5])
            try output.finish()
            #expect(try FileIO.read(folder.path + "/s-" + name.dropFirst(2)) == [4, 5])
        }
    }

    @Test func ourOwnAndDeadProcessesTemporariesAreStaleOthersAreNot() throws {
        let tag = FileIO.hostTag
        let dead = try deadProcessID()
        #expect(FileIO.isStaleTemporary(".a.jpg.\(tag)-\(getpid())-3" + FileIO.temporarySuffix))
        #expect(FileIO.isStaleTemporary(".a.jpg.\(tag)-\(dead)-3" + FileIO.temporarySuffix))
        #expect(FileIO.isStaleTemporary(".a.jpg.\(tag)-\(dead)-link7" + FileIO.temporarySuffix))
        #expect(!FileIO.isStaleTemporary(".a.jpg.\(tag)-1-3" + FileIO.temporarySuffix), "pid 1 is alive")
        #expect(!FileIO.isStaleTemporary(".a.jpg.other_host-\(dead)-3" + FileIO.temporarySuffix), "another machine's")
        #expect(!FileIO.isStaleTemporary("a.jpg.\(tag)-\(dead)-3" + FileIO.temporarySuffix), "not hidden")
        #expect(!FileIO.isStaleTemporary(".a.jpg.\(tag)-\(dead)-3.tmp"))
        #expect(!FileIO.isStaleTemporary(".a" + FileIO.temporarySuffix), "unpack's own")
    }

    /// An interrupted pack leaves a half-written shard under a temporary name; a rerun that
    /// finishes removes it (and leaves another machine's alone).
    @Test func aFinishedPackRemovesStaleTemporaries() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        let dead = try deadProcessID()
        let stale = ".train-00000.images.npy.\(FileIO.hostTag)-\(dead)-1" + FileIO.temporarySuffix
        let foreign = ".train-00000.images.npy.elsewhere-\(dead)-1" + FileIO.temporarySuffix
        folder.write("out/" + stale, [1, 2, 3])
        folder.write("out/" + foreign, [1, 2, 3])
        _ = try PackFixtures.run(PackFixtures.job(), source: source, to: folder.path + "/out")
        #expect(!FileIO.exists(folder.path + "/out/" + stale))
        #expect(FileIO.exists(folder.path + "/out/" + foreign))
    }
}
