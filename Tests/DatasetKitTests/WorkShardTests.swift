@testable import DatasetKit
import Foundation
import Testing

@Suite struct WorkShardTests {
    @Test func parsesIOverNAndRefusesTheRest() throws {
        let shard = try WorkShard(parsing: "2/4")
        #expect(shard.index == 2 && shard.count == 4 && shard.description == "2/4")
        #expect(try WorkShard(parsing: "0/1").count == 1)
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3", "", "/4", "1/"] {
            #expect(throws: WorkShardError.self, "\(bad)") { try WorkShard(parsing: bad) }
        }
        do {
            _ = try WorkShard(parsing: "4/4")
            Issue.record("4/4 accepted")
        } catch {
            #expect(error.description.contains("0 <= I < N") && error.description.contains("e.g. 0/4"))
        }
    }

    /// The partition must not change between machines, processes or Swift versions: these
    /// values were computed independently (Python) from FNV-1a 64 + SplitMix64's finaliser.
    @Test func theHashIsPinned() {
        #expect(WorkShard.stableHash("cat/1.jpg") == 0x3F53_D496_FF46_E530)
        #expect(WorkShard.stableHash("train/dog/0007.jpg") == 0xA4E3_58B3_F348_3C3B)
        #expect(WorkShard.stableHash("é/ü.png") == 0x1012_404A_B273_AE45)
        #expect(WorkShard.index(of: "train/dog/0007.jpg", count: 4) == 3)
    }

    @Test func nWorkersCoverEveryPathExactlyOnceAndRoughlyEvenly() throws {
        let paths = (0..<4000).map { "class\($0 % 7)/image_\($0).jpg" }
        for count in [1, 2, 3, 8] {
            let parts = try (0..<count).map { try WorkShard(index: $0, count: count).filter(paths) { $0 } }
            #expect(parts.flatMap { $0 }.sorted() == paths.sorted())
            #expect(Set(parts.flatMap { $0 }).count == paths.count)
            let expected = Double(paths.count) / Double(count)
            #expect(parts.allSatisfy { abs(Double($0.count) - expected) < 0.1 * expected }, "\(parts.map(\.count))")
        }
    }

    @Test func membershipDependsOnlyOnThePath() throws {
        let shard = try WorkShard(index: 1, count: 3)
        let paths = (0..<300).map { "a/\($0).png" }
        let mine = Set(shard.filter(paths) { $0 })
        let more = Set(shard.filter(paths + (0..<50).map { "b/\($0).png" }) { $0 })
        #expect(mine.isSubset(of: more) && more.subtracting(mine).allSatisfy { $0.hasPrefix("b/") })
    }

    @Test func tagsAndPartNamesSortInWorkerOrder() throws {
        #expect(try WorkShard(index: 2, count: 4).tag == "w2of4")
        #expect(try WorkShard(index: 7, count: 12).tag == "w07of12")
        let shard = try WorkShard(index: 1, count: 3)
        #expect(shard.partName("manifest.json") == "manifest.w1of3.json")
        #expect(shard.partName("logs/params.jsonl") == "logs/params.w1of3.jsonl")
        #expect(shard.partName("README") == "README.w1of3")
        let data = try JSONEncoder().encode(shard)
        #expect(String(decoding: data, as: UTF8.self) == "\"1\\/3\"" || String(decoding: data, as: UTF8.self) == "\"1/3\"")
        #expect(try JSONDecoder().decode(WorkShard.self, from: data) == shard)
    }
}
