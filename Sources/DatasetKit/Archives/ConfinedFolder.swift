#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The destination folder of an unpack, written only below itself.
///
/// Every path is walked one component at a time from an open descriptor of the root with
/// `O_NOFOLLOW`, so a symlink on the way (planted by the archive or already there) stops the
/// write instead of redirecting it. Names are created with `*at` calls relative to their parent's
/// descriptor; final names appear by `renameat` from a hidden temporary name, which replaces a
/// symlink or hard link in the way rather than writing through it.
///
/// One thread at a time.
final class ConfinedFolder {
    let root: String
    private let rootFD: Int32
    /// Open descriptors of recently used folders, by relative path (entries come folder by folder).
    private var cache: [String: Int32] = [:]
    private static let cacheLimit = 64

    /// Why a path could not be walked (shown after the component's path).
    static let symlinkInTheWay = "is a symlink (not followed)"
    static let notAFolder = "is not a folder"

    /// Opens (creating if needed) the folder at `root`. The root itself may be a symlink: the user
    /// named it.
    init(root: String) throws(FileError) {
        self.root = root
        try FileIO.createDirectories(root)
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .fromErrno("open folder", root) }
        rootFD = fd
    }

    deinit {
        for fd in cache.values { close(fd) }
        close(rootFD)
    }

    /// The descriptor of the folder `components` below the root, creating missing folders with
    /// `permissions` when `create`. Fails when a component is a symlink or not a folder.
    func folder(_ components: ArraySlice<String>, create: Bool, permissions: UInt32 = 0o755) throws(FileError) -> Int32 {
        if components.isEmpty { return rootFD }
        let key = components.joined(separator: "/")
        if let fd = cache[key] { return fd }
        var fd = rootFD
        var walked: [String] = []
        for name in components {
            walked.append(name)
            let next = try openChild(fd, name, create: create, permissions: permissions, path: walked)
            if fd != rootFD { close(fd) }
            fd = next
        }
        if cache.count >= Self.cacheLimit {
            for fd in cache.values { close(fd) }
            cache.removeAll(keepingCapacity: true)
        }
        cache[key] = fd
        return fd
    }

    private func openChild(_ parent: Int32, _ name: String, create: Bool, permissions: UInt32,
                           path: [String]) throws(FileError) -> Int32 {
        let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
        var fd = openat(parent, name, flags)
        if fd < 0 && errno == ENOENT && create {
            if mkdirat(parent, name, mode_t(permissions)) != 0 && errno != EEXIST {
                throw .fromErrno("create folder", path.joined(separator: "/"))
            }
            fd = openat(parent, name, flags)
        }
        guard fd < 0 else { return fd }
        let relative = path.joined(separator: "/")
        guard errno == ELOOP || errno == ENOTDIR else { throw .fromErrno("open folder", relative) }
        // Linux says ENOTDIR for a symlink opened with O_DIRECTORY | O_NOFOLLOW: look again.
        let isLink = status(parent, name).map { $0.st_mode & S_IFMT == S_IFLNK } ?? false
        throw FileError(path: relative, operation: "write into",
                        reason: isLink ? Self.symlinkInTheWay : Self.notAFolder)
    }

    /// What is at `name` in `folder`, without following a symlink; `nil` when nothing.
    func status(_ folder: Int32, _ name: String) -> stat? {
        var info = stat()
        return fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// The target of the symlink `name`, or `nil`.
    func linkTarget(_ folder: Int32, _ name: String) -> String? {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let n = readlinkat(folder, name, &buffer, buffer.count)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    /// The hidden temporary name an entry is written under. It is the same on every run, so a
    /// rerun replaces what an interrupted run left; it ends with `FileIO.temporarySuffix`, so
    /// FileTree never lists it.
    static func temporaryName(for name: String) -> String {
        let limit = Int(NAME_MAX) - 1 - FileIO.temporarySuffix.utf8.count
        var stem = Substring(name)
        while stem.utf8.count > limit { stem = stem.dropLast() }
        return "." + stem + FileIO.temporarySuffix
    }

    /// Creates a fresh temporary file for writing (replacing a stale one, or a symlink, there).
    func createTemporary(_ folder: Int32, _ name: String, permissions: UInt32) -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var fd = openat(folder, name, flags, mode_t(permissions))
        if fd < 0 && errno == EEXIST {
            unlinkat(folder, name, 0)
            fd = openat(folder, name, flags, mode_t(permissions))
        }
        return fd
    }

    /// Creates a symlink under a temporary name (replacing a stale one).
    func createTemporarySymlink(_ folder: Int32, _ name: String, target: String) -> Bool {
        if symlinkat(target, folder, name) == 0 { return true }
        guard errno == EEXIST else { return false }
        unlinkat(folder, name, 0)
        return symlinkat(target, folder, name) == 0
    }

    /// Hard-links `source` (not following a symlink) under a temporary name (replacing a stale one).
    func createTemporaryLink(from sourceFolder: Int32, _ source: String, _ folder: Int32, _ name: String) -> Bool {
        if linkat(sourceFolder, source, folder, name, 0) == 0 { return true }
        guard errno == EEXIST else { return false }
        unlinkat(folder, name, 0)
        return linkat(sourceFolder, source, folder, name, 0) == 0
    }

    /// Renames the temporary into place; on failure the temporary is removed.
    func publish(_ folder: Int32, temporary: String, as name: String) -> Bool {
        if renameat(folder, temporary, folder, name) == 0 { return true }
        let saved = errno
        unlinkat(folder, temporary, 0)
        errno = saved
        return false
    }

    func removeTemporary(_ folder: Int32, _ name: String) {
        unlinkat(folder, name, 0)
    }

    /// Creates the folder `name` in `folder`; false when something else is in the way.
    func makeFolder(_ folder: Int32, _ name: String, permissions: UInt32) -> Bool {
        mkdirat(folder, name, mode_t(permissions)) == 0
    }

    /// The bytes of the regular file `name` in the root, when it is at most `limit` bytes (a
    /// symlink there is not followed).
    func readSmallFile(_ name: String, limit: Int) -> [UInt8]? {
        let fd = openat(rootFD, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= limit else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return Array(bytes.prefix(done))
    }
}
