#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file operations behind `TransferMode`: each leaves either the old state or the complete
/// new one, never a partial file under a final name.
public enum FileTransfer {
    /// What `place` found.
    public enum Placement: Sendable, Equatable {
        case placed
        /// Something already has the destination's name; nothing was changed.
        case destinationExists
        /// There is no file at the source; nothing was changed.
        case sourceMissing
    }

    /// Puts `source` at `destination` by `mode` unless the destination name is taken. The
    /// operation is tried first and the reason for a refusal looked up after, so the usual
    /// case costs one or two system calls per file (`symlink` is made relative to the
    /// destination's folder: pass absolute, canonical paths).
    public static func place(_ source: String, at destination: String, mode: TransferMode) throws(FileError) -> Placement {
        switch mode {
        case .link:
            if linkat(AT_FDCWD, source, AT_FDCWD, destination, AT_SYMLINK_FOLLOW) == 0 { return .placed }
            return try refusal(errno, source, destination, operation: "hard-link \(source) as")
        case .symlink:
            guard FileIO.exists(source) else { return .sourceMissing }
            let target = relativePath(from: FileIO.split(destination).0, to: source)
            if symlink(target, destination) == 0 { return .placed }
            return try refusal(errno, source, destination, operation: "create symbolic link")
        case .copy:
            if occupied(destination) { return .destinationExists }
            guard FileIO.exists(source) else { return .sourceMissing }
            try copy(source, to: destination)
            return .placed
        case .move:
            // rename would replace an existing file: look first (this process owns the output).
            if occupied(destination) { return .destinationExists }
            if rename(source, destination) == 0 { return .placed }
            guard errno == EXDEV else { return try refusal(errno, source, destination, operation: "move \(source) to") }
            try moveAcrossFileSystems(source, to: destination)
            return .placed
        }
    }

    private static func refusal(_ code: Int32, _ source: String, _ destination: String,
                                operation: String) throws(FileError) -> Placement {
        if code == EEXIST { return .destinationExists }
        if code == ENOENT && !FileIO.exists(source) { return .sourceMissing }
        errno = code
        throw .fromErrno(operation, destination)
    }

    /// Hard-links `source` at `destination`, following a symbolic-link source to its file.
    /// With `replacing`, an existing destination is swapped atomically (link, then rename).
    public static func hardLink(_ source: String, to destination: String, replacing: Bool = false) throws(FileError) {
        let target = replacing ? FileIO.temporaryPath(for: destination) : destination
        guard linkat(AT_FDCWD, source, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0 else {
            throw .fromErrno("hard-link \(source) as", destination)
        }
        if replacing { try commit(target, to: destination) }
    }

    /// Writes a symbolic link at `destination` holding `target` (atomic replace if asked).
    public static func symbolicLink(to target: String, at destination: String, replacing: Bool = false) throws(FileError) {
        let path = replacing ? FileIO.temporaryPath(for: destination) : destination
        guard symlink(target, path) == 0 else { throw .fromErrno("create symbolic link", destination) }
        if replacing { try commit(path, to: destination) }
    }

    /// Copies `source` to a temporary name beside `destination` and renames it into place
    /// (replacing any file there). The copy keeps the source's permission bits; with
    /// `durable` it also keeps its modification time and is synced to disk before the rename.
    public static func copy(_ source: String, to destination: String, durable: Bool = false) throws(FileError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .fromErrno("open", source) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw .fromErrno("stat", source) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: source, operation: "copy", reason: "not a regular file")
        }
        let temporary = FileIO.temporaryPath(for: destination)
        let output = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, info.st_mode & 0o7777)
        guard output >= 0 else { throw .fromErrno("create", temporary) }
        var failure: FileError?
        do throws(FileError) {
            try copyContents(from: input, to: output, size: Int(info.st_size), names: (source, temporary))
            if durable {
                var times = [modificationTimes(info).access, modificationTimes(info).modification]
                if futimens(output, &times) != 0 { throw .fromErrno("set the time of", temporary) }
                if fsync(output) != 0 { throw .fromErrno("sync", temporary) }
            }
        } catch {
            failure = error
        }
        if close(output) != 0, failure == nil { failure = .fromErrno("close", temporary) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        try commit(temporary, to: destination)
        if durable { syncDirectory(of: destination) }
    }

    /// Moves `source` to `destination` with `rename`. Across file systems: a durable copy is
    /// renamed into place first and the source is unlinked only after, so at every moment the
    /// file is whole in one place or the other.
    public static func move(_ source: String, to destination: String) throws(FileError) {
        if rename(source, destination) == 0 { return }
        guard errno == EXDEV else { throw .fromErrno("move \(source) to", destination) }
        try moveAcrossFileSystems(source, to: destination)
    }

    /// A durable copy renamed into place, then the source unlinked: at every moment the
    /// file is whole under one name or the other.
    private static func moveAcrossFileSystems(_ source: String, to destination: String) throws(FileError) {
        try copy(source, to: destination, durable: true)
        try removeName(source)
    }

    /// Unlinks one name of a file whose data lives on under another name (the last step of a
    /// move whose output is already complete).
    public static func removeName(_ path: String) throws(FileError) {
        guard unlink(path) == 0 else { throw .fromErrno("remove the moved source", path) }
    }

    /// True when something is at `path`, without following a final symbolic link (a dangling
    /// link still occupies the name).
    public static func occupied(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// True when `destination` itself (not a symbolic link there) is the file `source` names:
    /// a hard link of it.
    public static func isHardLink(_ destination: String, of source: String) -> Bool {
        var x = stat(), y = stat()
        return stat(source, &x) == 0 && lstat(destination, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// True when `copy` is a regular file (not a symbolic link) holding the same bytes as
    /// `original`.
    public static func isIdenticalCopy(_ copy: String, of original: String) -> Bool {
        var info = stat()
        guard lstat(copy, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let x = try? FileIO.read(original), let y = try? FileIO.read(copy) else { return false }
        return x == y
    }

    /// The device of `path`, or of its nearest existing ancestor when it does not exist yet
    /// (an output folder about to be created): whether a hard link or a rename can reach it.
    public static func device(ofNearestExisting path: String) -> UInt64? {
        var current = FileTree.normalise(path)
        while true {
            var info = stat()
            if stat(current, &info) == 0 { return UInt64(info.st_dev) }
            let (parent, _) = FileIO.split(current)
            if parent == current { return nil }
            current = parent
        }
    }

    /// The relative path from `directory` to `target`, both absolute and free of `.`/`..`
    /// (`/d/out/train/cat` → `/d/images/cat/1.jpg` is `../../../images/cat/1.jpg`).
    public static func relativePath(from directory: String, to target: String) -> String {
        let from = directory.split(separator: "/"), to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        return (up + to[common...].map(String.init)).joined(separator: "/")
    }

    // MARK: - Helpers

    private static func commit(_ temporary: String, to destination: String) throws(FileError) {
        guard rename(temporary, destination) == 0 else {
            let error = FileError.fromErrno("rename into", destination)
            unlink(temporary)
            throw error
        }
    }

    /// In-kernel copy (`sendfile`) where there is one, plain reads and writes otherwise.
    private static func copyContents(from input: Int32, to output: Int32, size: Int,
                                     names: (source: String, destination: String)) throws(FileError) {
        var done = 0
        #if canImport(Glibc)
        while done < size {
            let n = sendfile(output, input, nil, min(size - done, 1 << 30))
            if n > 0 { done += n; continue }
            if n == 0 { return }  // the source shrank
            if errno == EINTR { continue }
            if done == 0 && (errno == EINVAL || errno == ENOSYS) { break }  // fall back below
            throw .fromErrno("copy to", names.destination)
        }
        if done >= size { return }
        #endif
        let chunk = 1 << 18
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(input, buffer, chunk)
            if n < 0 { if errno == EINTR { continue }; throw .fromErrno("read", names.source) }
            if n == 0 { return }
            var written = 0
            while written < n {
                let w = write(output, buffer + written, n - written)
                if w < 0 { if errno == EINTR { continue }; throw .fromErrno("write", names.destination) }
                written += w
            }
        }
    }

    private static func modificationTimes(_ info: stat) -> (access: timespec, modification: timespec) {
        #if canImport(Darwin)
        (info.st_atimespec, info.st_mtimespec)
        #else
        (info.st_atim, info.st_mtim)
        #endif
    }

    /// Makes a rename durable; best effort (some file systems refuse to sync a directory).
    private static func syncDirectory(of path: String) {
        let fd = open(FileIO.split(path).0, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
