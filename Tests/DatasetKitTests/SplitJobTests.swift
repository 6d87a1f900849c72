#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import DatasetKit

/// Putting planned files in place: each mode, reruns, and moves that were interrupted.
@Suite struct SplitJobTests {
    /// Plans the Food-101 tree under `folder/data` and runs it into `output` as the CLI does.
    @discardableResult
    func split(_ folder: TemporaryFolder, into output: String, mode: TransferMode, overwrite: Bool = false,
               only: (@Sendable (Int) -> Bool)? = nil) throws -> (plan: SplitPlan, outcomes: [ItemOutcome?]) {
        let listing = try #require(Food101Layout(locating: folder.path + "/data")).listing()
        let done = FileIO.isDirectory(output) ? Set(try FileTree(root: output).files) : []
        let plan = try SplitPlanner.plan(listing, settings: SplitSettings(), done: done)
        try FileIO.createDirectories(output)
        let source = FileTree.canonical(listing.imageRoot)!, destination = FileTree.canonical(output)!
        for item in plan.items { try FileIO.createDirectories(destination + "/" + item.split + "/" + item.className) }
        let job = SplitJob(mode: mode, overwrite: overwrite)
        let outcomes = ParallelRunner.run(count: plan.items.count, jobs: 2) { i in
            if let only, !only(i) { return .skipped }
            return job.process(source: source + "/" + plan.items[i].source, destination: destination + "/" + plan.items[i].destination)
        }
        return (plan, outcomes)
    }

    func inode(_ path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    var images: String { "data/food-101/images" }

    @Test func linkSharesTheInode() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        let (plan, outcomes) = try split(folder, into: folder.path + "/out", mode: .link)
        #expect(outcomes.allSatisfy { $0 == .done() } && outcomes.count == 32)
        for item in plan.items {
            let a = try #require(inode(folder.path + "/\(images)/" + item.source))
            let b = try #require(inode(folder.path + "/out/" + item.destination))
            #expect(a == b)
        }
        #expect(!isSymlink(folder.path + "/out/train/pizza/1000.jpg"))
    }

    @Test func copyIsEqualBytesInANewInode() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        let (plan, outcomes) = try split(folder, into: folder.path + "/out", mode: .copy)
        #expect(outcomes.allSatisfy { $0 == .done() })
        for item in plan.items {
            let source = folder.path + "/\(images)/" + item.source, copy = folder.path + "/out/" + item.destination
            #expect(try FileIO.read(copy) == FileIO.read(source))
            #expect(inode(copy)!.1 != inode(source)!.1)
        }
        #expect(folder.files(under: "out").allSatisfy { !$0.contains(FileIO.temporarySuffix) })
    }

    @Test func symlinkIsRelativeAndResolves() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        let (plan, outcomes) = try split(folder, into: folder.path + "/out", mode: .symlink)
        #expect(outcomes.allSatisfy { $0 == .done() })
        let link = folder.path + "/out/train/pizza/1000.jpg"
        #expect(isSymlink(link))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "../../../data/food-101/images/pizza/1000.jpg")
        for item in plan.items {
            #expect(try FileIO.read(folder.path + "/out/" + item.destination) == DatasetTrees.bytes(FileTree.deletingExtension(item.source)))
        }
        // Relative links survive moving both trees together.
        let moved = TemporaryFolder()
        try FileManager.default.removeItem(atPath: moved.path)
        try FileManager.default.moveItem(atPath: folder.path, toPath: moved.path)
        defer { try? FileManager.default.moveItem(atPath: moved.path, toPath: folder.path) }
        #expect(try FileIO.read(moved.path + "/out/train/pizza/1000.jpg") == DatasetTrees.bytes("pizza/1000"))
    }

    @Test func moveEmptiesTheSourceAndLosesNothing() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        let (plan, outcomes) = try split(folder, into: folder.path + "/out", mode: .move)
        #expect(outcomes.allSatisfy { $0 == .done() })
        #expect(folder.files(under: images).isEmpty)
        for item in plan.items {
            #expect(try FileIO.read(folder.path + "/out/" + item.destination) == DatasetTrees.bytes(FileTree.deletingExtension(item.source)))
        }
    }

    @Test func interruptedMoveIsFinishedByARerun() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        let before = Set(folder.files(under: images))
        // The first run stops after some files (as if killed): only even items move.
        let (first, partial) = try split(folder, into: folder.path + "/out", mode: .move) { $0 % 2 == 0 }
        #expect(partial.filter { $0 == .done() }.count == 16)
        #expect(folder.files(under: images).count == 16)
        // The rerun plans again from the meta lists (which still list the moved files).
        let (second, outcomes) = try split(folder, into: folder.path + "/out", mode: .move)
        #expect(second.items == first.items && second.problems.isEmpty)
        #expect(outcomes.filter { $0 == .skipped }.count == 16 && outcomes.filter { $0 == .done() }.count == 16)
        #expect(folder.files(under: images).isEmpty)
        let after = Set(folder.files(under: "out").map { String($0.split(separator: "/", maxSplits: 1)[1]) })
        #expect(after == before)
    }

    @Test func rerunSkipsAndOverwriteReplaces() throws {
        let folder = TemporaryFolder()
        DatasetTrees.food101(in: folder)
        try split(folder, into: folder.path + "/out", mode: .copy)
        folder.write("out/train/pizza/1000.jpg", [7, 7, 7])
        let (_, rerun) = try split(folder, into: folder.path + "/out", mode: .copy)
        #expect(rerun.allSatisfy { $0 == .skipped })
        #expect(try FileIO.read(folder.path + "/out/train/pizza/1000.jpg") == [7, 7, 7])
        let (_, replaced) = try split(folder, into: folder.path + "/out", mode: .link, overwrite: true)
        #expect(replaced.allSatisfy { $0 == .done() })
        #expect(inode(folder.path + "/out/train/pizza/1000.jpg")! == inode(folder.path + "/\(images)/pizza/1000.jpg")!)
        // Already hard links of the sources: nothing to redo, even with overwrite.
        let (_, again) = try split(folder, into: folder.path + "/out", mode: .link, overwrite: true)
        #expect(again.allSatisfy { $0 == .skipped })
    }

    @Test func moveOntoAnExistingOutputNeverDropsTheOnlyCopy() throws {
        let folder = TemporaryFolder()
        let source = folder.write("src/a.jpg", [1, 2, 3])
        try FileIO.createDirectories(folder.path + "/out")
        let job = SplitJob(mode: .move)
        // A symbolic link to the source is not a copy of it: the source stays.
        try FileTransfer.symbolicLink(to: source, at: folder.path + "/out/a.jpg")
        guard case .failed(let why) = job.process(source: source, destination: folder.path + "/out/a.jpg") else {
            Issue.record("expected a failure"); return
        }
        #expect(why.contains("other contents") && FileIO.exists(source))
        // Different bytes: both kept.
        let other = folder.write("out/b.jpg", [9])
        let b = folder.write("src/b.jpg", [1])
        #expect(job.process(source: b, destination: other) != .done() && FileIO.exists(b))
        // Identical bytes (a cross-device move stopped before unlinking): finished.
        let c = folder.write("src/c.jpg", [4, 5])
        folder.write("out/c.jpg", [4, 5])
        guard case .done(let warning?) = job.process(source: c, destination: folder.path + "/out/c.jpg") else {
            Issue.record("expected done with a note"); return
        }
        #expect(warning.contains("identical") && !FileIO.exists(c))
        // A hard link of the source (an earlier --link run): the move just drops the old name.
        let d = folder.write("src/d.jpg", [6])
        try FileTransfer.hardLink(d, to: folder.path + "/out/d.jpg")
        #expect(job.process(source: d, destination: folder.path + "/out/d.jpg") == .done() && !FileIO.exists(d))
        #expect(try FileIO.read(folder.path + "/out/d.jpg") == [6])
        // Neither there: reported, nothing invented.
        #expect(job.process(source: folder.path + "/src/none.jpg", destination: folder.path + "/out/none.jpg")
                == .failed("missing: the file is not there"))
    }

    /// A second file system for the cross-device paths (/dev/shm is tmpfs on Linux).
    static let otherFileSystem: String? = {
        let shm = "/dev/shm"
        guard FileIO.isDirectory(shm), access(shm, W_OK) == 0,
              FileTransfer.device(ofNearestExisting: shm) != FileTransfer.device(ofNearestExisting: NSTemporaryDirectory()) else { return nil }
        return shm
    }()

    @Test(.enabled(if: otherFileSystem != nil, "needs a second file system (/dev/shm)"))
    func moveAcrossFileSystemsCopiesSyncsThenUnlinks() throws {
        let folder = TemporaryFolder()
        let source = folder.write("src/a.jpg", Array(repeating: 0xAB, count: 300_000))
        try FileManager.default.setAttributes([FileAttributeKey.modificationDate: Date(timeIntervalSince1970: 1_000_000_000),
                                               FileAttributeKey.posixPermissions: 0o640], ofItemAtPath: source)
        let remote = Self.otherFileSystem! + "/dataset-split-test-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: remote) }
        try FileIO.createDirectories(remote)
        #expect(SplitJob(mode: .move).process(source: source, destination: remote + "/a.jpg") == .done())
        #expect(!FileIO.exists(source))
        #expect(try FileIO.read(remote + "/a.jpg") == Array(repeating: 0xAB, count: 300_000))
        let attributes = try FileManager.default.attributesOfItem(atPath: remote + "/a.jpg")
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_000_000_000)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: remote) == ["a.jpg"])
        // A hard link cannot cross: a clear failure, the source untouched.
        let b = folder.write("src/b.jpg", [1])
        guard case .failed(let why) = SplitJob(mode: .link).process(source: b, destination: remote + "/b.jpg") else {
            Issue.record("expected a failure"); return
        }
        #expect(why.contains("b.jpg") && FileIO.exists(b))
    }

    @Test func onlyPlansThatDependOnTheFilesPresentNeedAJournal() throws {
        #expect(!SplitJournal.isNeeded(layout: .food101, settings: SplitSettings()))
        #expect(!SplitJournal.isNeeded(layout: .recipes5k, settings: SplitSettings(selection: .first(3))))
        #expect(SplitJournal.isNeeded(layout: .food101, settings: SplitSettings(validationFraction: 0.1)))
        #expect(SplitJournal.isNeeded(layout: .food101, settings: SplitSettings(ratios: try SplitRatios(parsing: "0.5,0.5"))))
        #expect(SplitJournal.isNeeded(layout: .folders, settings: SplitSettings()))
        let folder = TemporaryFolder()
        let plan = SplitPlan(splits: ["train"], classes: ["a"],
                             items: [SplitItem(source: "a/1.jpg", split: "train", className: "a", name: "1.jpg")], problems: [])
        let journal = SplitJournal(source: "/r", layout: .folders, settings: SplitSettings(seed: 3), plan: plan)
        try journal.write(to: folder.path)
        #expect(try SplitJournal.load(from: folder.path) == journal)
        #expect(journal.matches(source: "/r", layout: .folders, settings: SplitSettings(seed: 3)))
        #expect(!journal.matches(source: "/r", layout: .folders, settings: SplitSettings(seed: 4)))
        SplitJournal.remove(from: folder.path)
        #expect(try SplitJournal.load(from: folder.path) == nil)
        folder.write(SplitJournal.fileName, [1, 2])
        #expect(throws: LayoutError.self) { try SplitJournal.load(from: folder.path) }
    }

    @Test func relativePathsAndDevices() {
        #expect(FileTransfer.relativePath(from: "/d/out/train/cat", to: "/d/images/cat/1.jpg") == "../../../images/cat/1.jpg")
        #expect(FileTransfer.relativePath(from: "/d/a", to: "/d/a/b.jpg") == "b.jpg")
        #expect(FileTransfer.relativePath(from: "/x/y", to: "/z.jpg") == "../../z.jpg")
        let folder = TemporaryFolder()
        #expect(FileTransfer.device(ofNearestExisting: folder.path + "/not/yet/there") == FileTransfer.device(ofNearestExisting: folder.path))
    }
}
