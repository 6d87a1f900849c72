#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Plain POSIX file access: whole-file reads into one array, and atomic writes.
public enum FileIO {
    /// Opens `path` for reading if it is a regular file (not a folder, device or FIFO, which a
    /// read would hang on or misread); the caller closes the descriptor.
    public static func openRegularFile(_ path: String) throws(FileError) -> (descriptor: Int32, status: stat) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .fromErrno("open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = FileError.fromErrno("stat", path)
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FileError(path: path, operation: "read", reason: "not a regular file")
        }
        return (fd, info)
    }

    /// Reads the whole file with one allocation. With a `limit`, a file larger than
    /// `limit.bytes` is refused before a byte is read, the message naming `limit.flag` (the
    /// option that raises it).
    public static func read(_ path: String, limit: (bytes: Int, flag: String)? = nil) throws(FileError) -> [UInt8] {
        let (fd, info) = try openRegularFile(path)
        defer { close(fd) }
        let size = Int(info.st_size)
        if let limit, size > limit.bytes {
            throw FileError(path: path, operation: "read", reason: "the file is \(ByteCount.format(Int64(size))), "
                            + "over the limit of \(ByteCount.format(Int64(limit.bytes))) (\(limit.flag) raises it)")
        }
        var failure: FileError? = nil
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = Glibc.read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 { if errno == EINTR { continue }; failure = .fromErrno("read", path); break }
                if n == 0 { break }  // the file shrank while we read it
                done += n
            }
            initialized = done
        }
        if let failure { throw failure }
        return bytes
    }

    /// Reads an image file whole, refusing one larger than `limits.maxFileBytes` before
    /// reading it (a 2 GB file named `.jpg` would otherwise be read into memory).
    public static func readImage(_ path: String, limits: InputLimits) throws(FileError) -> [UInt8] {
        try read(path, limit: (limits.maxFileBytes, "--max-file-size"))
    }

    private static let temporaryCounter = Atomic<Int>(0)

    /// Writes `bytes` to a hidden temporary file beside `path`, then renames it into place, so a
    /// killed run never leaves a partial file under the final name.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fromErrno("create", temporary) }
        var failure: FileError? = nil
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; failure = .fromErrno("write", temporary); return }
                done += n
            }
        }
        if close(fd) != 0, failure == nil { failure = .fromErrno("close", temporary) }
        if failure == nil, rename(temporary, path) != 0 { failure = .fromErrno("rename into", path) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// A hidden name beside `path`, unique to this process and call, for writing `path`
    /// atomically: `dir/.name.<host>-<pid>-<n>.dataset-tmp`. Scanners skip such names.
    public static func temporaryPath(for path: String) -> String {
        let (directory, name) = split(path)
        let serial = temporaryCounter.add(1, ordering: .relaxed).newValue
        return directory + "/" + temporaryName(for: name, tag: processTag + "-\(serial)")
    }

    /// `.name.<tag>.dataset-tmp`, with `name` cut short (at a character boundary) so the
    /// whole fits in `NAME_MAX` bytes whatever the final name's length: the tag alone makes
    /// it unique, the name only tells a person what it was for.
    static func temporaryName(for name: String, tag: String) -> String {
        let fixed = 2 + tag.utf8.count + temporarySuffix.utf8.count
        var stem = Substring(name)
        while stem.utf8.count > Int(NAME_MAX) - fixed { stem = stem.dropLast() }
        return "." + stem + "." + tag + temporarySuffix
    }

    /// Whether `name` is a temporary file a `dataset` process on this machine made
    /// (`temporaryName`) and left behind: the process that made it is this one or has exited.
    /// Temporaries of other machines sharing the folder, or of live processes, are not.
    public static func isStaleTemporary(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(temporarySuffix) else { return false }
        let body = name.dropLast(temporarySuffix.count)
        guard let dot = body.lastIndex(of: ".") else { return false }
        // <host>-<pid>-<n> or <host>-<pid>-link<n> (the host may itself hold '-').
        var parts = body[body.index(after: dot)...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        parts.removeLast()
        guard let pid = Int32(parts.removeLast()), pid > 0 else { return false }
        guard parts.joined(separator: "-") == hostTag else { return false }
        if pid == getpid() { return true }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes the stale temporaries (`isStaleTemporary`) directly in `folder`, after a run
    /// that finished: an interrupted earlier run's half-written files. Nothing else is touched.
    public static func removeStaleTemporaries(in folder: String) {
        guard let handle = opendir(folder) else { return }
        var stale: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if isStaleTemporary(name) { stale.append(name) }
        }
        closedir(handle)
        for name in stale {
            var info = stat()
            guard lstat(folder + "/" + name, &info) == 0, [S_IFREG, S_IFLNK].contains(info.st_mode & S_IFMT) else { continue }
            unlink(folder + "/" + name)
        }
    }

    /// `<host>-<pid>`: `--shard` workers on several machines (or containers, where every
    /// process may be pid 1) write the same file, `classes.txt`, into one shared folder.
    static let processTag: String = hostTag.isEmpty ? "\(getpid())" : hostTag + "-\(getpid())"

    /// This machine's name as it appears in temporary names (64 characters at most, no `/`,
    /// no blanks, and no `.`, so the tag is found after the last dot of a temporary name).
    static let hostTag: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        return String(host.prefix(64).map { $0 == "/" || $0 == "." || $0.isWhitespace ? "_" : $0 })
    }()

    /// Temporary files end with this; scanners skip them and `removeStaleTemporaries` clears them.
    public static let temporarySuffix = ".dataset-tmp"

    /// True when something exists at `path` (a rerun skips finished outputs this way).
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// True when `path` is a directory (following links).
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `mkdir -p`.
    public static func createDirectories(_ path: String) throws(FileError) {
        if path.isEmpty || isDirectory(path) { return }
        let (parent, _) = split(path)
        if parent != path { try createDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .fromErrno("create directory", path) }
    }

    /// Splits `a/b/c` into (`a/b`, `c`); a bare name has directory `.`.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }
}
