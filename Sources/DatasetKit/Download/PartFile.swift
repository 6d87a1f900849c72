#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `<name>.part` file a download writes into: kept between runs so an interrupted download
/// resumes, and locked (`flock`) so two processes never write it at once.
final class PartFile {
    let path: String
    /// Bytes in the file; appends go at this offset.
    private(set) var size: Int64
    private var fd: Int32

    /// Opens (or creates) the file and takes its lock; a lock held elsewhere throws `.busy`.
    init(path: String) throws(DownloadError) {
        self.path = path
        // O_NOFOLLOW: a symlink planted under the .part name must not redirect the writes.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw .file(.fromErrno("create", path)) }
        size = 0
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let error = FileError.fromErrno("lock", path)
            Glibc.close(fd)
            fd = -1
            throw busy ? .busy(partialFile: path) : .file(error)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            let error = FileError(path: path, operation: "use", reason: "not a regular file")
            close()
            throw .file(error)
        }
        size = Int64(info.st_size)
    }

    deinit { close() }

    /// Drops every byte (a server that ignores the range sends the file from the start).
    func truncate() throws(FileError) {
        guard ftruncate(fd, 0) == 0 else { throw .fromErrno("truncate", path) }
        size = 0
    }

    /// Appends `bytes` at the end.
    func append(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(size))
            if n < 0 { if errno == EINTR { continue }; throw .fromErrno("write", path) }
            done += n
            size += Int64(n)
        }
    }

    /// The digest of the whole file, as lowercase hex.
    func digest(_ algorithm: ArchiveDigest.Algorithm) throws(FileError) -> String {
        let digest = StreamingDigest(algorithm)
        try FileDigest.feed(digest, from: fd, length: size, path: path)
        return digest.finalize()
    }

    /// Flushes to disk, then renames the file to `destination` (atomic within one folder).
    func commit(to destination: String) throws(FileError) {
        guard fsync(fd) == 0 else { throw .fromErrno("sync", path) }
        guard rename(path, destination) == 0 else { throw .fromErrno("rename into", destination) }
        close()
    }

    /// Deletes the file (a download that proved wrong must not be resumed). Only while it is
    /// open and locked: once closed, the name may already be another process's file.
    func remove() {
        guard fd >= 0 else { return }
        unlink(path)
        close()
    }

    func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
