#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CArchive

/// Streams a tar (plain, gzip, bzip2, xz, lzma, zstd, lz4, compress) or zip archive with libarchive: one entry header
/// at a time, its data in blocks, never the whole archive in memory.
///
/// The file is read front to back exactly once, in large blocks, through `observe` (so a digest
/// of the archive bytes costs no second read). There is no seeking: zip archives are read by
/// their local headers, as when streamed.
///
/// Not thread-safe: use one reader on one thread.
public final class ArchiveReader {
    /// The archive's path, as given (used in messages).
    public let path: String
    /// The archive's size on disk.
    public let fileSize: Int64
    /// The archive file's device and inode, so an unpack can refuse to replace it.
    public let fileIdentity: FileIdentity

    private let archive: OpaquePointer
    private let input: RawInput
    private var entryPath: String?
    private var sawEntry = false

    /// Opens `path`. `observe` sees every raw (still compressed) block in file order.
    public init(path: String, blockSize: Int = 1 << 20,
                observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(ArchiveError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError(.unreadable, archive: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ArchiveError(.unreadable, archive: path, reason: "not a regular file")
        }
        guard info.st_size > 0 else {
            close(fd)
            throw ArchiveError(.notAnArchive, archive: path, reason: "empty file (0 bytes)")
        }
        #if os(Linux)
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif
        fileSize = Int64(info.st_size)
        fileIdentity = FileIdentity(info)
        input = RawInput(fd: fd, blockSize: blockSize, observe: observe)
        guard let handle = archive_read_new() else {
            input.close()
            throw ArchiveError(.unreadable, archive: path, reason: "out of memory")
        }
        archive = handle
        // Built-in decompressors only: `filter_all` would also run external programs (lzop,
        // lrzip...) chosen by the archive's first bytes.
        for support in [archive_read_support_filter_gzip, archive_read_support_filter_bzip2,
                        archive_read_support_filter_xz, archive_read_support_filter_lzma,
                        archive_read_support_filter_zstd, archive_read_support_filter_lz4,
                        archive_read_support_filter_compress] {
            _ = support(handle)
        }
        archive_read_support_format_tar(handle)
        // Streamable only: the seekable zip reader would jump to the central directory first.
        archive_read_support_format_zip_streamable(handle)
        let context = Unmanaged.passUnretained(input).toOpaque()
        let status = archive_read_open(handle, context, nil, { archive, context, block in
            RawInput.read(archive, context, block)
        }, nil)
        // Every property is set, so a throw from here on runs deinit, which frees both.
        if status != DS_ARCHIVE_OK { throw failure(.notAnArchive) }
    }

    deinit {
        archive_read_free(archive)
        input.close()
    }

    /// Bytes of the archive file read so far (for progress).
    public var bytesRead: Int64 { input.consumed }

    /// Moves to the next entry; `nil` at the end of the archive. Unread data of the current entry
    /// is read through (and observed) first.
    public func next() throws(ArchiveError) -> ArchiveEntry? {
        var handle: OpaquePointer? = nil
        var status: Int32
        repeat { status = archive_read_next_header(archive, &handle) } while status == DS_ARCHIVE_RETRY
        if status == DS_ARCHIVE_EOF { entryPath = nil; return nil }
        guard status == DS_ARCHIVE_OK || status == DS_ARCHIVE_WARN, let handle else {
            throw failure(sawEntry ? .corrupt : .notAnArchive)
        }
        sawEntry = true
        let entry = Self.describe(handle)
        entryPath = entry.path
        return entry
    }

    /// The next block of the current entry's data and its offset in the file (sparse files leave
    /// gaps); `nil` at the end of the entry. The bytes are valid until the next call.
    public func readBlock() throws(ArchiveError) -> (bytes: UnsafeRawBufferPointer, offset: Int64)? {
        var buffer: UnsafeRawPointer? = nil
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(archive, &buffer, &size, &offset)
            switch status {
            case DS_ARCHIVE_EOF: return nil
            case DS_ARCHIVE_OK, DS_ARCHIVE_WARN:
                return (UnsafeRawBufferPointer(start: buffer, count: size), Int64(offset))
            case DS_ARCHIVE_RETRY: continue
            case DS_ARCHIVE_FAILED: throw failure(.unreadableEntry)
            default: throw failure(.corrupt)
            }
        }
    }

    /// Reads whatever follows the end of the archive (padding, trailing bytes) through the
    /// observer, so a digest covers the whole file.
    public func readToEnd() throws(ArchiveError) {
        while true {
            let n = input.fill()
            if n == 0 { return }
            if n < 0 { throw ArchiveError(.unreadable, archive: path, reason: input.error ?? "read error") }
        }
    }

    /// What the archive turned out to be, e.g. `gzip, GNU tar format`; empty before the first entry.
    public var formatName: String {
        var names: [String] = []
        let filters = archive_filter_count(archive)
        if filters > 1 {
            for i in 0..<(filters - 1) { if let name = archive_filter_name(archive, i) { names.append(String(cString: name)) } }
        }
        if sawEntry, let format = archive_format_name(archive) { names.append(String(cString: format)) }
        return names.joined(separator: ", ")
    }

    private func failure(_ kind: ArchiveError.Kind) -> ArchiveError {
        if let readError = input.error { return ArchiveError(.unreadable, archive: path, reason: readError) }
        let message = archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
        return ArchiveError(kind, archive: path, entry: entryPath, reason: message)
    }

    private static func describe(_ entry: OpaquePointer) -> ArchiveEntry {
        let path = string(archive_entry_pathname_utf8(entry)) ?? string(archive_entry_pathname(entry)) ?? ""
        let mode = UInt32(archive_entry_mode(entry))
        let kind: ArchiveEntry.Kind
        if let target = string(archive_entry_hardlink_utf8(entry)) ?? string(archive_entry_hardlink(entry)) {
            kind = .hardlink(target: target)
        } else {
            switch UInt32(archive_entry_filetype(entry)) {
            case DS_AE_IFREG: kind = .file
            case DS_AE_IFDIR: kind = .directory
            case DS_AE_IFLNK:
                kind = .symlink(target: string(archive_entry_symlink_utf8(entry)) ?? string(archive_entry_symlink(entry)) ?? "")
            case DS_AE_IFCHR: kind = .characterDevice
            case DS_AE_IFBLK: kind = .blockDevice
            case DS_AE_IFIFO: kind = .fifo
            case DS_AE_IFSOCK: kind = .socket
            case let other: kind = .unknown(other)
            }
        }
        let size = archive_entry_size_is_set(entry) != 0 ? Int64(archive_entry_size(entry)) : nil
        let modified = archive_entry_mtime_is_set(entry) != 0
            ? (seconds: Int64(archive_entry_mtime(entry)), nanoseconds: Int(archive_entry_mtime_nsec(entry))) : nil
        return ArchiveEntry(path: path, kind: kind, mode: mode & 0o7777, size: size, modified: modified)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// The archive file as libarchive's read callback sees it: big sequential reads into one
/// buffer, each block shown to the observer.
private final class RawInput {
    let fd: Int32
    let buffer: UnsafeMutableRawBufferPointer
    let observe: ((UnsafeRawBufferPointer) -> Void)?
    var consumed: Int64 = 0
    var error: String?
    private var closed = false

    init(fd: Int32, blockSize: Int, observe: ((UnsafeRawBufferPointer) -> Void)?) {
        self.fd = fd
        self.buffer = .allocate(byteCount: blockSize, alignment: 4096)
        self.observe = observe
    }

    func close() {
        guard !closed else { return }
        closed = true
        _ = Glibc.close(fd)
        buffer.deallocate()
    }

    /// Reads the next block into the buffer and shows it to the observer: its size, 0 at the end
    /// of the file, -1 on a read error (kept in `error`).
    func fill() -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                error = String(cString: strerror(errno))
                return -1
            }
            if n > 0 {
                consumed += Int64(n)
                observe?(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
            }
            return n
        }
    }

    /// libarchive's read callback.
    static func read(_ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
                     _ block: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        let input = Unmanaged<RawInput>.fromOpaque(context!).takeUnretainedValue()
        let n = input.fill()
        if n < 0 {
            ds_archive_set_error(archive, errno, input.error ?? "read error")
            return -1
        }
        block?.pointee = UnsafeRawPointer(input.buffer.baseAddress)
        return n
    }
}
