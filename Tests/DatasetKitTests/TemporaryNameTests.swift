import Foundation
import Testing
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
