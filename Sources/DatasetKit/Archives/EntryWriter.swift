#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One step of an unpack, in archive order, as the reading side hands it to the writing side.
enum WriteCommand {
    /// An unsafe entry, not written.
    case refused(path: String, reason: String)
    /// A damaged entry or part of the archive, skipped by the reader.
    case failed(path: String, reason: String)
    /// Something changed on the way in (a name escaped), or a detail the reader noticed.
    case warning(path: String, reason: String)
    /// A safe entry: a folder or link (complete), or the start of a file (data follows);
    /// `index` is its position in the archive.
    case entry(EntryPlan, ArchiveEntry, index: Int)
    /// The next bytes of the current file, at `offset` in it.
    case data([UInt8], offset: Int64)
    /// The current file is complete.
    case endOfFile
    /// The current file's data could not be read: drop it, and report `reason` if given.
    case abandon(reason: String?)
}

/// Applies write commands to the destination folder: each file is written under a hidden
/// temporary name, given the entry's permissions (setuid/setgid/sticky dropped) and modification
/// time, then renamed into place. Files an earlier run of the same archive wrote are skipped
/// unless `overwrite`; within a run a later entry of a path replaces an earlier one. Each file
/// written is recorded in the folder's journal. Counts and problems accumulate in `summary`.
final class EntryWriter {
    private let folder: ConfinedFolder
    private let overwrite: Bool
    private let maxBytes: Int64
    /// The archive being read: never replaced, even when the destination holds it.
    private let archive: FileIdentity?
    private(set) var summary: UnpackSummary
    private var file: OpenFile?
    /// True while the data of a skipped or failed file goes by.
    private var dropping = false
    /// What earlier runs of this archive wrote (nil: no journal, or another archive's).
    private let previous: UnpackJournal?
    /// What is in the folder now, as far as this archive is concerned.
    private var journal: UnpackJournal
    /// The journal file, appended to after each file (-1: not kept).
    private var journalFD: Int32 = -1
    /// Paths of files written by this run: a later entry of the same path is written again.
    private var writtenThisRun: Set<String> = []

    private struct OpenFile {
        var fd: Int32
        var folder: Int32
        var temporary: String
        var name: String
        var entry: ArchiveEntry
        var path: String
        var index: Int
        var position: Int64 = 0
    }

    /// `UTIME_OMIT` (a C macro Swift does not import): leave the access time alone.
    private static let utimeOmit = (1 << 30) - 2

    /// `journalFor` names the archive (`ArchiveReader.identity`): the folder's journal counts
    /// only when it was written for the same one.
    init(folder: ConfinedFolder, overwrite: Bool, maxBytes: Int64, archive: FileIdentity?, journalFor identity: String,
         summary: UnpackSummary) {
        self.folder = folder
        self.archive = archive
        self.overwrite = overwrite
        self.maxBytes = maxBytes
        self.summary = summary
        let found = folder.readSmallFile(UnpackJournal.fileName, limit: UnpackJournal.maxBytes).flatMap(UnpackJournal.parse)
        previous = found?.archive == identity ? found : nil
        journal = previous ?? UnpackJournal(archive: identity)
        openJournal()
    }

    /// Applies one command. Throws only what must stop the whole run (size limit, disk full).
    func apply(_ command: WriteCommand) throws(UnpackError) {
        switch command {
        case .refused(let path, let reason):
            summary.refused.append(Problem(path: path, reason: reason))
            summary.failed += 1
        case .failed(let path, let reason):
            fail(path, reason)
        case .warning(let path, let reason):
            summary.warnings.append(Problem(path: path, reason: reason))
        case .entry(let plan, let entry, let index):
            discardOpenFile()
            dropping = false
            if plan.droppedSpecialBits {
                summary.warnings.append(Problem(path: plan.path, reason: "setuid/setgid/sticky bits dropped"))
            }
            do throws(StartError) {
                try start(plan, entry, index: index)
            } catch {
                switch error {
                case .fatal(let stop): throw stop
                case .entry(let reason): fail(plan.path, reason)
                }
            }
        case .data(let bytes, let offset):
            guard !dropping, file != nil else { return }
            try write(bytes, at: offset)
        case .endOfFile:
            guard !dropping else { dropping = false; return }
            try finishFile()
        case .abandon(let reason):
            if let path = file?.path, let reason { fail(path, reason) }
            discardOpenFile()
            dropping = false
        }
    }

    /// Closes and removes a half-written temporary (after an error, or at a stop).
    func discardOpenFile() {
        guard let open = file else { return }
        close(open.fd)
        folder.removeTemporary(open.folder, open.temporary)
        file = nil
    }

    private enum StartError: Error {
        case entry(String)
        case fatal(UnpackError)
    }

    private func start(_ plan: EntryPlan, _ entry: ArchiveEntry, index: Int) throws(StartError) {
        if plan.components == [UnpackJournal.fileName] {
            throw .entry("the name of unpack's journal in the destination folder (not written)")
        }
        let parent: Int32
        do {
            parent = try folder.folder(plan.components.dropLast(), create: true)
        } catch {
            throw .entry(Self.walkFailure(error))
        }
        let name = plan.components[plan.components.count - 1]
        let existing = folder.status(parent, name)
        let existingKind = existing.map { $0.st_mode & S_IFMT }
        if plan.action != .directory, existingKind == S_IFDIR {
            throw .entry("a folder is in the way")
        }
        if let existing, let archive, FileIdentity(existing) == archive {
            throw .entry("that is the archive being unpacked (inputs are never replaced)")
        }
        switch plan.action {
        case .directory:
            if let existingKind {
                guard existingKind == S_IFDIR else { throw .entry("something that is not a folder is in the way") }
                summary.skipped += 1
            } else {
                guard folder.makeFolder(parent, name, permissions: plan.permissions) else { throw failure("create folder") }
                summary.done += 1
            }
        case .file:
            if !overwrite, !writtenThisRun.contains(plan.path), let existing, existingKind == S_IFREG,
               isAlreadyThere(existing, entry, plan.path, index: index) {
                summary.skipped += 1
                if previous == nil {
                    // Judged by size and time (no journal yet): from now on the journal knows it.
                    record(plan.path, .init(index: index, size: Int64(existing.st_size), modified: Int64(existing.st_mtim.tv_sec)))
                }
                dropping = true
                // A killed earlier run may have left this entry's temporary behind.
                folder.removeTemporary(parent, ConfinedFolder.temporaryName(for: name))
                return
            }
            let temporary = ConfinedFolder.temporaryName(for: name)
            let fd = folder.createTemporary(parent, temporary, permissions: plan.permissions)
            guard fd >= 0 else { throw failure("create") }
            file = OpenFile(fd: fd, folder: parent, temporary: temporary, name: name, entry: entry, path: plan.path,
                            index: index)
        case .symlink(let target):
            if !overwrite, existingKind == S_IFLNK, folder.linkTarget(parent, name) == target {
                summary.skipped += 1
                return
            }
            let temporary = ConfinedFolder.temporaryName(for: name)
            guard folder.createTemporarySymlink(parent, temporary, target: target) else { throw failure("create symlink") }
            guard folder.publish(parent, temporary: temporary, as: name) else { throw failure("rename symlink into") }
            summary.done += 1
        case .hardlink(let target):
            let targetPath = target.joined(separator: "/")
            let source: Int32
            do {
                source = try folder.folder(target.dropLast(), create: false)
            } catch {
                throw .entry("hard link target '\(targetPath)' cannot be reached: " + Self.walkFailure(error))
            }
            let targetName = target[target.count - 1]
            guard let original = folder.status(source, targetName) else {
                throw .entry("hard link target '\(targetPath)' does not exist (it must come earlier in the archive)")
            }
            guard original.st_mode & S_IFMT != S_IFDIR else { throw .entry("hard link to a folder ('\(targetPath)')") }
            if let existing, existing.st_dev == original.st_dev, existing.st_ino == original.st_ino {
                summary.skipped += 1
                return
            }
            let temporary = ConfinedFolder.temporaryName(for: name)
            guard folder.createTemporaryLink(from: source, targetName, parent, temporary) else { throw failure("create hard link") }
            guard folder.publish(parent, temporary: temporary, as: name) else { throw failure("rename hard link into") }
            summary.done += 1
        }
    }

    /// Whether the file already at an entry's final name is what this run would leave there.
    ///
    /// With a journal of this archive: an earlier run wrote it from this entry, or from a later
    /// entry of the same path (which would replace this one anyway), and its size and time are
    /// still the ones recorded. A file the journal does not know is written again. Without one
    /// (a folder unpacked by an older version): same size and modification time.
    private func isAlreadyThere(_ existing: stat, _ entry: ArchiveEntry, _ path: String, index: Int) -> Bool {
        guard let previous else { return Self.isComplete(existing, entry) }
        guard let record = previous.records[path] else { return false }
        return record.index >= index && record.size == Int64(existing.st_size)
            && record.modified == Int64(existing.st_mtim.tv_sec)
    }

    /// Whether the file already at an entry's final name is that entry, written by an earlier
    /// run: same size and modification time (to the second). A file under a final name is never
    /// partial (it got there by rename), so when the archive does not give the size before the
    /// data (streamed zip), the time alone decides.
    private static func isComplete(_ existing: stat, _ entry: ArchiveEntry) -> Bool {
        guard entry.size != nil || entry.modified != nil else { return false }
        if let size = entry.size, Int64(existing.st_size) != size { return false }
        if let modified = entry.modified, Int64(existing.st_mtim.tv_sec) != modified.seconds { return false }
        return true
    }

    /// `'a/b' is a symlink (not followed)`, or the error as it is.
    private static func walkFailure(_ error: FileError) -> String {
        [ConfinedFolder.symlinkInTheWay, ConfinedFolder.notAFolder].contains(error.reason)
            ? "'\(error.path)' \(error.reason)" : "\(error)"
    }

    /// The current `errno` as an entry failure, or as a fatal one when the destination is full
    /// or read-only (every later entry would fail the same way).
    private func failure(_ operation: String) -> StartError {
        let code = errno
        let reason = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT || code == EROFS {
            return .fatal(.destination(FileError(path: folder.root, operation: "write to", reason: reason)))
        }
        return .entry("cannot \(operation): \(reason)")
    }

    private func fail(_ path: String, _ reason: String) {
        summary.failures.append(Problem(path: path, reason: reason))
        summary.failed += 1
    }

    private func write(_ bytes: [UInt8], at offset: Int64) throws(UnpackError) {
        guard var open = file else { return }
        let gap = max(0, offset - open.position)  // a sparse hole counts against the limit too
        let adding = gap + Int64(bytes.count)
        guard summary.bytesWritten + adding <= maxBytes else {
            discardOpenFile()
            throw .sizeLimit(limit: maxBytes, entry: open.path)
        }
        if offset != open.position { lseek(open.fd, off_t(offset), SEEK_SET) }
        let failed: Int32? = bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(open.fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return nil
        }
        if let failed {
            errno = failed
            let error = failure("write")
            discardOpenFile()
            switch error {
            case .fatal(let stop): throw stop
            case .entry(let reason): fail(open.path, reason); dropping = true
            }
            return
        }
        open.position = offset + Int64(bytes.count)
        summary.bytesWritten += adding
        file = open
    }

    private func finishFile() throws(UnpackError) {
        guard let open = file else { return }
        if let size = open.entry.size, size > open.position {
            // A sparse file ending in a hole.
            guard summary.bytesWritten + (size - open.position) <= maxBytes else {
                discardOpenFile()
                throw .sizeLimit(limit: maxBytes, entry: open.path)
            }
            summary.bytesWritten += size - open.position
            ftruncate(open.fd, off_t(size))
        }
        if let modified = open.entry.modified {
            let times = [timespec(tv_sec: 0, tv_nsec: Self.utimeOmit),
                         timespec(tv_sec: time_t(modified.seconds), tv_nsec: modified.nanoseconds)]
            futimens(open.fd, times)
        }
        file = nil
        var written = stat()
        let recorded = fstat(open.fd, &written) == 0
        if close(open.fd) != 0 || !folder.publish(open.folder, temporary: open.temporary, as: open.name) {
            let error = failure("write")
            folder.removeTemporary(open.folder, open.temporary)
            switch error {
            case .fatal(let stop): throw stop
            case .entry(let reason): fail(open.path, reason)
            }
            return
        }
        summary.done += 1
        writtenThisRun.insert(open.path)
        if recorded {
            record(open.path, .init(index: open.index, size: Int64(written.st_size), modified: Int64(written.st_mtim.tv_sec)))
        }
    }

    // MARK: journal

    /// Starts this run's journal: the earlier one appended to when it is this archive's, a fresh
    /// one otherwise. Without a journal the unpack still works; reruns just rewrite more.
    private func openJournal() {
        let root: Int32
        do { root = try folder.folder([], create: false) } catch { return }
        if previous == nil {
            let temporary = ConfinedFolder.temporaryName(for: UnpackJournal.fileName)
            let fd = folder.createTemporary(root, temporary, permissions: 0o644)
            guard fd >= 0 else { return journalUnavailable() }
            let ok = Self.writeAll(fd, Array(journal.header.utf8))
            guard close(fd) == 0, ok, folder.publish(root, temporary: temporary, as: UnpackJournal.fileName) else {
                return journalUnavailable()
            }
        }
        journalFD = openat(root, UnpackJournal.fileName, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)
        if journalFD < 0 { journalUnavailable() }
    }

    private func journalUnavailable() {
        summary.warnings.append(Problem(path: folder.root + "/" + UnpackJournal.fileName,
                                        reason: "cannot write unpack's journal (\(String(cString: strerror(errno)))): "
                                        + "a rerun will rewrite files instead of skipping them"))
    }

    private func record(_ path: String, _ record: UnpackJournal.Record) {
        journal.records[path] = record
        guard journalFD >= 0 else { return }
        // One write per line: a kill leaves at most a partial last line, which reading skips.
        if !Self.writeAll(journalFD, Array(UnpackJournal.line(path, record).utf8)) {
            close(journalFD)
            journalFD = -1
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
    }

    /// Rewrites the journal compacted (one line per path), atomically; without the files this
    /// run wrote when `forgetWrittenFiles`, so a rerun writes them again.
    func finishJournal(forgetWrittenFiles: Bool) {
        if forgetWrittenFiles { for path in writtenThisRun { journal.records[path] = nil } }
        guard journalFD >= 0 else { return }
        close(journalFD)
        journalFD = -1
        guard let root = try? folder.folder([], create: false) else { return }
        let temporary = ConfinedFolder.temporaryName(for: UnpackJournal.fileName)
        let fd = folder.createTemporary(root, temporary, permissions: 0o644)
        guard fd >= 0 else { return }
        let ok = Self.writeAll(fd, Array(journal.serialized().utf8))
        if close(fd) == 0, ok { _ = folder.publish(root, temporary: temporary, as: UnpackJournal.fileName) }
        else { folder.removeTemporary(root, temporary) }
    }
}
