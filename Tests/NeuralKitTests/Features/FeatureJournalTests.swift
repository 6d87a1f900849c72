import DatasetKit
import Foundation
import Testing
@testable import NeuralKit

/// The journal of finished parts is read as hostile input: whatever a kill, an edit or another
/// run left in it, only entries of this run's settings come back.
@Suite struct FeatureJournalTests {
    static let header = FeatureJournal.Header(settings: ["backbone": "vgg16", "pooling": "avg"], featureShape: [512], partSize: 4, shard: nil)

    static func entry(part: Int, rows: Int) -> FeatureJournal.Entry {
        FeatureJournal.Entry(split: "train", splitIndex: 0, part: part, rows: rows, input: "digest", failures: [],
                             files: [.init(role: "features", bytes: 10, sha256: String(repeating: "0", count: 64))])
    }

    @Test func keepsTheLastEntryOfEachPartAndSkipsWhatDoesNotDecode() throws {
        let folder = TemporaryFolder()
        let journal = FeatureJournal(path: folder.path + "/journal.jsonl")
        #expect(journal.read(expecting: Self.header).entries.isEmpty && journal.read(expecting: Self.header).discarded == nil)
        try journal.start(Self.header)
        try journal.append(Self.entry(part: 0, rows: 3))
        try journal.append(Self.entry(part: 1, rows: 4))
        try journal.append(Self.entry(part: 0, rows: 4))
        // A line of garbage in the middle, then a line a kill cut short.
        let handle = try #require(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("not json\n{\"split\":\"train\",\"part\":2,\"rows\":".utf8))
        handle.closeFile()
        #expect(journal.read(expecting: Self.header).entries.keys.sorted() == ["0/0", "0/1"])
        // A resumed run ends the cut line before it appends.
        try journal.terminateLastLine()
        try journal.terminateLastLine()
        try journal.append(Self.entry(part: 3, rows: 1))
        let (entries, discarded) = journal.read(expecting: Self.header)
        #expect(discarded == nil)
        #expect(entries.keys.sorted() == ["0/0", "0/1", "0/3"])
        #expect(entries["0/0"]?.rows == 4 && entries["0/1"]?.rows == 4 && entries["0/3"]?.rows == 1)
    }

    @Test func aJournalOfOtherSettingsIsDiscarded() throws {
        let folder = TemporaryFolder()
        let journal = FeatureJournal(path: folder.path + "/journal.jsonl")
        try journal.start(Self.header)
        try journal.append(Self.entry(part: 0, rows: 4))
        var other = Self.header
        other.settings["pooling"] = "max"
        let (entries, discarded) = journal.read(expecting: other)
        #expect(entries.isEmpty && discarded?.contains("other settings") == true)
        var resized = Self.header
        resized.partSize = 8
        #expect(journal.read(expecting: resized).entries.isEmpty)
        try FileIO.writeAtomically(Array("{}\n".utf8), to: journal.path)
        #expect(journal.read(expecting: Self.header).discarded?.contains("no header") == true)
    }
}
