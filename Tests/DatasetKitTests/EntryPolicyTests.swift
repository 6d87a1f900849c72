import Testing
@testable import DatasetKit

@Suite struct EntryPolicyTests {
    func decide(_ path: String, _ kind: ArchiveEntry.Kind = .file, mode: UInt32 = 0o644) -> EntryDecision {
        EntryPolicy.decide(ArchiveEntry(path: path, kind: kind, mode: mode, size: 0))
    }

    func plan(_ path: String, _ kind: ArchiveEntry.Kind = .file, mode: UInt32 = 0o644) -> EntryPlan? {
        if case .write(let plan) = decide(path, kind, mode: mode) { return plan }
        return nil
    }

    func refusal(_ path: String, _ kind: ArchiveEntry.Kind = .file) -> String? {
        if case .refuse(let reason) = decide(path, kind) { return reason }
        return nil
    }

    @Test func cleansPathsAndRefusesAbsoluteAndParent() {
        #expect(plan("./a//b/./c.jpg")?.components == ["a", "b", "c.jpg"])
        #expect(plan("food-101/images/")?.components == ["food-101", "images"])
        #expect(refusal("/etc/passwd") == EntryPolicy.Reason.absolutePath)
        #expect(refusal("//x") == EntryPolicy.Reason.absolutePath)
        #expect(refusal("../x") == EntryPolicy.Reason.parentComponent)
        #expect(refusal("a/../../x") == EntryPolicy.Reason.parentComponent)
        // Even a `..` that stays inside is refused: no entry path needs one.
        #expect(refusal("a/../b") == EntryPolicy.Reason.parentComponent)
        #expect(refusal("") == EntryPolicy.Reason.emptyPath)
        #expect(decide("./", .directory) == .ignore)
        #expect(refusal(".", .file) == EntryPolicy.Reason.emptyPath)
        // Dots inside names are fine.
        #expect(plan("a/..b/c..")?.components == ["a", "..b", "c.."])
    }

    @Test func refusesDevicesFIFOsSocketsAndUnknownTypes() {
        #expect(refusal("dev/sda", .blockDevice) == EntryPolicy.Reason.deviceFile)
        #expect(refusal("dev/tty", .characterDevice) == EntryPolicy.Reason.deviceFile)
        #expect(refusal("pipe", .fifo) == EntryPolicy.Reason.fifo)
        #expect(refusal("sock", .socket) == EntryPolicy.Reason.socket)
        #expect(refusal("odd", .unknown(0o150000))?.hasPrefix(EntryPolicy.Reason.unknownType) == true)
    }

    @Test func dropsSpecialBitsAndKeepsOwnerAccess() {
        let setuid = plan("bin/tool", mode: 0o4755)
        #expect(setuid?.permissions == 0o755 && setuid?.droppedSpecialBits == true)
        #expect(plan("x", mode: 0o2644)?.permissions == 0o644)
        #expect(plan("tmp", .directory, mode: 0o1777)?.permissions == 0o777)
        #expect(plan("locked", mode: 0o000)?.permissions == 0o600)
        #expect(plan("ro", .directory, mode: 0o555)?.permissions == 0o755)
        #expect(plan("plain", mode: 0o640)?.droppedSpecialBits == false)
    }

    @Test func symlinksInsideAreNormalisedAndOutsideRefused() {
        func target(_ path: String, _ to: String) -> String? {
            if case .symlink(let t)? = plan(path, .symlink(target: to))?.action { return t }
            return nil
        }
        #expect(target("a/link", "b.jpg") == "b.jpg")
        #expect(target("a/link", "./b/../c.jpg") == "c.jpg")
        #expect(target("a/b/link", "../../top.txt") == "../../top.txt")
        #expect(target("a/b/link", "../../a/b/c") == "c")
        #expect(target("a/link", "..") == "..")
        #expect(target("link", ".") == ".")
        // `s -> .` then `t -> s/..` would climb out of the root if written literally.
        #expect(target("t", "s/..") == ".")
        #expect(target("d/t", "s/../../x") == "../x")
        for (path, to) in [("link", "/etc/passwd"), ("link", "../x"), ("a/link", "../../x"), ("a/b/link", "c/../../../../x"),
                           ("link", "")] {
            let reason = refusal(path, .symlink(target: to))
            #expect(reason?.hasPrefix(EntryPolicy.Reason.symlinkOutside) == true, "\(path) -> \(to)")
        }
    }

    @Test func hardlinksResolveFromTheRootAndOutsideIsRefused() {
        #expect(plan("a/h", .hardlink(target: "b/c.jpg"))?.action == .hardlink(target: ["b", "c.jpg"]))
        #expect(plan("a/h", .hardlink(target: "./b/../c"))?.action == .hardlink(target: ["c"]))
        for to in ["/etc/passwd", "../x", "a/../../x", ".", ""] {
            #expect(refusal("h", .hardlink(target: to))?.hasPrefix(EntryPolicy.Reason.hardlinkOutside) == true, "\(to)")
        }
    }

    @Test func parsesSizesAndDigests() {
        #expect(ByteCount.parse("512") == 512)
        #expect(ByteCount.parse("500M") == 500 << 20)
        #expect(ByteCount.parse("50g") == 50 << 30)
        #expect(ByteCount.parse("1.5GiB") == 3 << 29)
        #expect(ByteCount.parse("2KB") == 2000)
        #expect(ByteCount.parse("64 G") == 64 << 30)
        for bad in ["", "G", "12X", "-5", "1.2.3M", "5MiBs"] { #expect(ByteCount.parse(bad) == nil, "\(bad)") }
        #expect(ByteCount.format(512) == "512 B")
        #expect(ByteCount.format(91_909_541) == "92 MB")
        #expect(ByteCount.format(4_650_000_000) == "4.7 GB")

        let md5 = "85eeb15f3717b99a5da872d97d918f87"
        #expect(ArchiveDigest(parsing: "md5:" + md5) == ArchiveDigest(algorithm: .md5, hex: md5))
        #expect(ArchiveDigest(parsing: md5.uppercased())?.hex == md5)
        #expect(ArchiveDigest(parsing: String(repeating: "ab", count: 32))?.algorithm == .sha256)
        for bad in ["md5:" + md5.dropLast(), "sha1:" + md5, "sha256:" + md5, "md5:" + md5.dropLast() + "g", "xyz"] {
            #expect(ArchiveDigest(parsing: bad) == nil, "\(bad)")
        }
    }
}
