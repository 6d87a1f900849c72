import Foundation
import Testing
@testable import DatasetKit

/// Manifests edited by someone else: every field is checked when read, so merging and
/// repacking never index past an array nor touch a file outside the pack's folder.
@Suite struct HostileManifestTests {
    /// Rewrites the JSON of the manifest at `path` with `edit`.
    static func edit(_ path: String, _ edit: (inout [String: Any]) -> Void) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(FileIO.read(path))) as? [String: Any])
        edit(&object)
        try FileIO.writeAtomically([UInt8](JSONSerialization.data(withJSONObject: object)), to: path)
    }

    /// `splits[s].shards[0].files[0]`, changed by `change`.
    static func editFirstFile(_ object: inout [String: Any], split s: Int = 0, _ change: (inout [String: Any]) -> Void) {
        var splits = object["splits"] as! [[String: Any]]
        var shards = splits[s]["shards"] as! [[String: Any]]
        var files = shards[0]["files"] as! [[String: Any]]
        change(&files[0])
        shards[0]["files"] = files
        splits[s]["shards"] = shards
        object["splits"] = splits
    }

    /// `preparation` (or its object `key`), changed by `change`.
    static func editPreparation(_ object: inout [String: Any], _ key: String? = nil, _ change: (inout [String: Any]) -> Void) {
        var preparation = object["preparation"] as! [String: Any]
        if let key {
            var nested = preparation[key] as! [String: Any]
            change(&nested)
            preparation[key] = nested
        } else {
            change(&preparation)
        }
        object["preparation"] = preparation
    }

    static func packParts(_ folder: TemporaryFolder, into parts: String) throws {
        let source = PackFixtures.classFolders(folder)
        var job = PackFixtures.job()
        for i in 0..<2 {
            job.shard = try WorkShard(index: i, count: 2)
            _ = try PackFixtures.run(job, source: source, to: parts)
        }
    }

    /// `merge` given a whole pack's manifest (no `part`), as a library caller might, refuses it
    /// rather than trapping on the missing part statistics.
    @Test func mergingAWholePacksManifestIsRefused() throws {
        let folder = TemporaryFolder()
        let parts = folder.path + "/parts"
        try Self.packParts(folder, into: parts)
        var whole = try ManifestMerger.parts(in: [parts])
        whole[1].manifest.part = nil
        let error = #expect(throws: ManifestMergeError.self) { _ = try ManifestMerger.merge(whole) }
        #expect(error?.description.contains("holds a whole pack's manifest") == true, "\(String(describing: error))")
    }

    /// A part naming `../victim.txt` (with the size of a file planted beside the parts) must not
    /// make the merge hard-link that file over `victim.txt` beside `--to`.
    @Test func aPartFileNamedOutsideItsFolderIsRefused() throws {
        let folder = TemporaryFolder()
        let parts = folder.path + "/a/parts"
        try Self.packParts(folder, into: parts)
        let planted = Array("attacker's bytes\n".utf8)
        folder.write("a/victim.txt", planted)
        let victim = folder.write("b/victim.txt", Array("precious\n".utf8))
        try Self.edit(parts + "/manifest.w1of2.json") { object in
            Self.editFirstFile(&object) { file in
                file["name"] = "../victim.txt"
                file["bytes"] = planted.count
            }
        }
        let error = #expect(throws: ManifestMergeError.self) {
            let located = try ManifestMerger.parts(in: [parts])
            let merged = try ManifestMerger.merge(located)
            try ManifestMerger.checkFiles(located)
            try ManifestMerger.write(merged, parts: located, to: folder.path + "/b/merged")
        }
        #expect(error?.description.contains("manifest.w1of2.json: cannot read it as a part manifest: splits[0].shards[0].files[0].name: '../victim.txt' is not one file name") == true,
                "\(String(describing: error))")
        #expect(try FileIO.read(victim) == Array("precious\n".utf8))
    }

    /// The first part's `pixelSums` is short (one split of two): an error naming the file and
    /// the field, not an index out of range.
    @Test func shortPerSplitArraysAreAnErrorNamingTheField() throws {
        let folder = TemporaryFolder()
        let parts = folder.path + "/parts"
        try Self.packParts(folder, into: parts)
        try Self.edit(parts + "/manifest.w0of2.json") { object in
            var part = object["part"] as! [String: Any]
            part["pixelSums"] = Array((part["pixelSums"] as! [Any]).prefix(1))
            object["part"] = part
        }
        #expect(throws: ManifestMergeError.unreadable(path: parts + "/manifest.w0of2.json",
                                                      reason: "part.pixelSums: 1 entries for 2 splits")) {
            _ = try ManifestMerger.merge(try ManifestMerger.parts(in: [parts]))
        }
    }

    /// Each per-channel or per-class array cut short, and each preparation setting made wrong, in
    /// turn, is found when the manifest is read, naming the field.
    @Test func everyCountedFieldIsChecked() throws {
        let folder = TemporaryFolder()
        let out = folder.path + "/out"
        _ = try PackFixtures.run(PackFixtures.job(), source: PackFixtures.classFolders(folder), to: out)
        let path = out + "/" + Manifest.fileName
        let original = try FileIO.read(path)
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("preparation.normalization.mean", { o in Self.editPreparation(&o, "normalization") { $0["mean"] = [0.5] } }),
            ("preparation.normalization", { o in Self.editPreparation(&o, "normalization") { $0["std"] = [1, 0, 1] } }),
            ("preparation.normalization", { o in Self.editPreparation(&o, "normalization") { $0["channelOrder"] = "bgr" } }),
            ("preparation.normalization.channelOrder", { o in Self.editPreparation(&o, "normalization") { $0["channelOrder"] = "gbr" } }),
            ("preparation.normalization.kind", { o in Self.editPreparation(&o, "normalization") { $0["kind"] = "keras" } }),
            ("preparation.resize.size", { o in Self.editPreparation(&o, "resize") { $0["size"] = ["width": 8, "height": 8] } }),
            ("preparation.resize.mode", { o in Self.editPreparation(&o, "resize") { $0["mode"] = "shorter" } }),
            ("preparation.background", { o in Self.editPreparation(&o) { $0["background"] = nil } }),
            ("preparation.applyOrientation", { o in Self.editPreparation(&o) { $0["applyOrientation"] = "yes" } }),
            ("normalization", { o in o["normalization"] = (o["preparation"] as! [String: Any])["normalization"] }),
            ("statistics.std", { o in var n = o["statistics"] as! [String: Any]; n["std"] = [Double](); o["statistics"] = n }),
            ("image.channels", { o in var n = o["image"] as! [String: Any]; n["channels"] = 4; o["image"] = n }),
            ("image", { o in var n = o["image"] as! [String: Any]; n["width"] = 1 << 62; o["image"] = n }),
            ("splits[0].classCounts", { o in
                var s = o["splits"] as! [[String: Any]]; s[0]["classCounts"] = [1]; o["splits"] = s }),
            ("splits[1].mean", { o in var s = o["splits"] as! [[String: Any]]; s[1]["mean"] = [1, 2]; o["splits"] = s }),
            ("splits[0].shards", { o in var s = o["splits"] as! [[String: Any]]; s[0]["count"] = 99; o["splits"] = s }),
            ("splits[0].name", { o in var s = o["splits"] as! [[String: Any]]; s[0]["name"] = "../x"; o["splits"] = s }),
            ("splits[0].shards[0].files[0].name", { o in Self.editFirstFile(&o) { $0["name"] = "" } }),
            ("splits[0].shards[0].files[0].shape", { o in Self.editFirstFile(&o) { $0["shape"] = [1 << 40, 1 << 40, 3] } }),
        ]
        for (field, change) in cases {
            try FileIO.writeAtomically(original, to: path)
            try Self.edit(path, change)
            let error = #expect(throws: ManifestFieldError.self, "\(field)") { _ = try Manifest(path: path) }
            #expect(error?.field == field && error?.path == path, "\(field): \(String(describing: error))")
        }
        try FileIO.writeAtomically(original, to: path)
        #expect(throws: Never.self) { _ = try Manifest(path: path) }
    }

    /// A repack removes the shard files only the old manifest listed; a name in it that is not
    /// a shard file's (a file of the user's beside the pack) is left alone.
    @Test func aRepackRemovesOnlyShardFilesTheOldManifestListed() throws {
        let folder = TemporaryFolder()
        let source = PackFixtures.classFolders(folder)
        let out = folder.path + "/out"
        _ = try PackFixtures.run(PackFixtures.job(shardSize: 2), source: source, to: out)
        let notes = folder.write("out/notes.txt", Array("keep me\n".utf8))
        folder.write("out/train-00009.images.npy", [1])
        try Self.edit(out + "/" + Manifest.fileName) { object in
            var splits = object["splits"] as! [[String: Any]]
            var shards = splits[0]["shards"] as! [[String: Any]]
            var files = shards[0]["files"] as! [[String: Any]]
            for (name, size) in [("notes.txt", 8), ("train-00009.images.npy", 1)] {
                var extra = files[0]
                extra["name"] = name
                extra["bytes"] = size
                extra["shape"] = nil
                files.append(extra)
            }
            shards[0]["files"] = files
            splits[0]["shards"] = shards
            object["splits"] = splits
        }
        _ = try PackFixtures.run(PackFixtures.job(), source: source, to: out)
        #expect(try FileIO.read(notes) == Array("keep me\n".utf8))
        #expect(!FileIO.exists(out + "/train-00009.images.npy"))
    }

    @Test func shardFileNamesArePacksOwn() {
        for good in ["train-00000.images.npy", "train-w1of4-00012.labels.npy", "val-000003.tar", "test-00000.files.txt"] {
            #expect(ShardFormat.isShardFileName(good), "\(good)")
        }
        for bad in ["notes.txt", "classes.txt", "manifest.json", "-00000.tar", "train-0000.tar", "train-00000.npy",
                    "../train-00000.tar", "a/train-00000.tar"] {
            #expect(!ShardFormat.isShardFileName(bad), "\(bad)")
        }
    }
}
