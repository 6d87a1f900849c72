import Testing
@testable import DatasetKit

/// `clean --shard`: each worker's findings on its own files, with the other files seen by
/// content hash only, add up to one run's findings.
@Suite struct CleanShardTests {
    static func facts(_ path: String, hash: String?, readable: Bool = true) -> ImageFacts {
        var facts = ImageFacts(path: path, fileBytes: 10)
        facts.contentHash = hash
        facts.format = .jpeg
        facts.colorModel = ColorModel(.rgb)
        facts.size = PixelSize(width: 64, height: 64)
        if !readable { facts.error = .truncated(format: .jpeg, detail: "cut") }
        return facts
    }

    @Test func workersFindWhatOneRunFinds() throws {
        let all = [
            Self.facts("train/a/1.jpg", hash: "h1"), Self.facts("train/a/2.jpg", hash: "h1"),   // duplicate
            Self.facts("train/b/3.jpg", hash: "h2"), Self.facts("test/b/4.jpg", hash: "h2"),    // leak
            Self.facts("test/a/5.jpg", hash: "h3"), Self.facts("test/a/6.jpg", hash: "h3"),     // duplicate in test
            Self.facts("train/a/7.jpg", hash: "h4", readable: false), Self.facts("train/b/8.jpg", hash: "h4", readable: false),
            Self.facts("train/c/9.jpg", hash: "h5"),
        ]
        let finder = CleanFinder()
        let one = finder.findings(all)
        #expect(one.filter { $0.kind == .exactDuplicate || $0.kind == .leak }.map(\.path) == ["test/a/6.jpg", "test/b/4.jpg", "train/a/2.jpg"])
        for count in [2, 3, 4] {
            var union: [CleanFinding] = []
            for index in 0..<count {
                let shard = try WorkShard(index: index, count: count)
                let mine = all.filter { shard.contains($0.path) }
                // Other workers' files: path and content hash, nothing decoded.
                let elsewhere = all.filter { !shard.contains($0.path) }.map { ImageFacts(path: $0.path, fileBytes: 10, contentHash: $0.contentHash) }
                union += finder.findings(mine, elsewhere: elsewhere)
            }
            let key = { (f: CleanFinding) in f.path + f.kind.rawValue }
            #expect(union.sorted { key($0) < key($1) } == one.sorted { key($0) < key($1) }, "N = \(count)")
        }
    }
}
