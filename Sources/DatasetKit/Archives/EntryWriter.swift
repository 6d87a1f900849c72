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
    /// A safe entry: a folder or link (complete), or the start of a file (data follows).
    case entry(EntryPlan, ArchiveEntry)
    /// The next bytes of the current file, at `offset` in it.
    case data([UInt8], offset: Int64)
    /// The current file is complete.
    case endOfFile
    /// The current file's data could not be read: drop it, and report `reason` if given.
    case abandon(reason: String?)
}

/// Applies write commands to the destination folder: each file is written under a hidden
/// temporary name, given the entry's permissions (setuid/setgid/sticky dropped) and modification
/// time, then renamed into place. Entries already complete are skipped unless `overwrite`.
/// Counts and problems accumulate in `summary`.
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

    private struct OpenFile {
        var fd: Int32
        var folder: Int32
        var temporary: String
        var name: String
        var entry: ArchiveEntry
        var path: String
        var position: Int64 = 0
    }

    /// `UTIME_OMIT` (a C macro Swift does not import): leave the access time alone.
    private static let utimeOmit = (1 << 30) - 2

    init(folder: ConfinedFolder, overwrite: Bool, maxBytes: Int64, archive: FileIdentity?, summary: UnpackSummary) {
        self.folder = folder
        self.archive = archive
        self.overwrite = overwrite
        self.maxBytes = maxBytes
        self.summary = summary
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
        case .entry(let plan, let entry):
            discardOpenFile()
            dropping = false
            if plan.droppedSpecialBits {
                summary.warnings.append(Problem(path: plan.path, reason: "setuid/setgid/sticky bits dropped"))
            }
            do throws(StartError) {
                try start(plan, entry)
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

    private func start(_ plan: EntryPlan, _ entry: ArchiveEntry) throws(StartError) {
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
            if !overwrite, let existing, existingKind == S_IFREG, Self.isComplete(existing, entry) {
                summary.skipped += 1
                dropping = true
                // A killed earlier run may have left this entry's temporary behind.
                folder.removeTemporary(parent, ConfinedFolder.temporaryName(for: name))
                return
            }
            let temporary = ConfinedFolder.temporaryName(for: name)
            let fd = folder.createTemporary(parent, temporary, permissions: plan.permissions)
            guard fd >= 0 else { throw failure("create") }
            file = OpenFile(fd: fd, folder: parent, temporary: temporary, name: name, entry: entry, path: plan.path)
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
    }
}
