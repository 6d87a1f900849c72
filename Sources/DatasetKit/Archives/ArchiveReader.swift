#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CArchive

/// Reads a tar (plain, gzip, bzip2, xz, lzma, zstd, lz4, compress) or zip archive with libarchive:
/// one entry header at a time, its data in blocks, never the whole archive in memory.
///
/// Tar archives are streamed front to back exactly once, in large blocks, through `observe` (so a
/// digest of the archive bytes costs no second read). The compression is recognised from the
/// first bytes and undone by exactly one decompressor (gzip by zlib, which checks the CRC-32 and
/// length libarchive 3.6 ignores); every decompressed byte counts against
/// `maxDecompressedBytes`, and compression nested in compression is refused.
///
/// A zip file is read through its central directory (libarchive's seekable zip reader), so
/// symlinks are symlinks and permissions are the archive's; one whose central directory is
/// missing (a cut download) is read as a stream instead. Its digest is taken in a second,
/// sequential read at the end.
///
/// Damage that does not stop the read (a tar header that fails its checksum and is skipped, an
/// entry whose name or data cannot be read) is collected in `takeProblems()`.
///
/// Not thread-safe: use one reader on one thread.
public final class ArchiveReader {
    /// The archive's path, as given (used in messages).
    public let path: String
    /// The archive's size on disk.
    public let fileSize: Int64
    /// The archive file's device and inode, so an unpack can refuse to replace it.
    public let fileIdentity: FileIdentity
    /// Names the archive's content, not its file: its size and the SHA-256 of its first 64 KiB
    /// (so a rerun on a fresh download of the same archive matches its journal).
    public let identity: String

    /// The default bound on decompressed bytes: twice `Unpacker.defaultMaxBytes`, as headers,
    /// padding and refused entries are decompressed too.
    public static let defaultMaxDecompressedBytes: Int64 = 128 << 30

    private var archive: OpaquePointer
    private let input: RawInput
    private let decompressed: DecompressedInput?
    private let observe: ((UnsafeRawBufferPointer) -> Void)?
    /// Zip read through its central directory: the file is not read in order, so the digest is
    /// taken by a separate pass.
    private var seekableZip = false
    private var zipFallback: String?
    private var entryPath: String?
    private var sawEntry = false
    private var reachedEnd = false
    /// `readToEnd` finished: every byte of the file was read.
    private var readWholeFile = false
    private var failures: [Problem] = []
    /// A damaged header was skipped: what follows it was found by scanning, not by the archive's
    /// structure, so nothing read after it can be vouched for.
    public private(set) var skippedDamage = false
    private var warnings: [Problem] = []

    /// Opens `path`. `observe` sees every raw (still compressed) block in file order.
    public init(path: String, blockSize: Int = 1 << 20,
                maxDecompressedBytes: Int64 = ArchiveReader.defaultMaxDecompressedBytes,
                observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(ArchiveError) {
        self.path = path
        self.observe = observe
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
        let start = StreamingDigest(.sha256)
        input.peek(65536).withUnsafeBytes { start.update($0) }
        identity = "\(info.st_size) sha256-64k:\(start.finalize())"
        let head = input.peek(16)
        let compression = head.withUnsafeBytes { Compression.detect($0) }
        if compression == .lzma {
            let dictionary = head.withUnsafeBytes { Compression.lzmaDictionarySize($0) }
            guard dictionary <= Compression.maxLZMADictionary else {
                input.close()
                throw ArchiveError(.limit, archive: path, reason: "its lzma header asks for a \(dictionary >> 20) MiB dictionary; "
                                   + "at most \(Compression.maxLZMADictionary >> 20) MiB is allowed (presets use 64 MiB at most)")
            }
        }
        let isZip = compression == nil && head.starts(with: [0x50, 0x4B]) && [3, 5, 7].contains(head.count > 2 ? head[2] : 0)
        guard let handle = archive_read_new() else {
            input.close()
            throw ArchiveError(.unreadable, archive: path, reason: "out of memory")
        }
        archive = handle
        if isZip {
            decompressed = nil
            input.observe = nil  // the digest is a separate pass (`readToEnd`)
            // Every property is set, so a throw from here on runs deinit, which frees both.
            try openZip()
            return
        }
        guard let stream = DecompressedInput(input: input, compression: compression, limit: maxDecompressedBytes) else {
            throw ArchiveError(.unreadable, archive: path, reason: "out of memory")
        }
        decompressed = stream
        // No filter is registered: the one decompressor ran above, and libarchive must not look
        // for more inside its output.
        archive_read_support_format_tar(handle)
        archive_read_support_format_zip_streamable(handle)
        let context = Unmanaged.passUnretained(stream).toOpaque()
        let status = archive_read_open(handle, context, nil, { a, c, b in DecompressedInput.read(a, c, b) }, nil)
        if status != DS_ARCHIVE_OK { throw failure(.notAnArchive) }
    }

    deinit {
        archive_read_free(archive)
        input.close()
    }

    /// Opens a zip through its central directory, or, when that cannot be found (the file is cut
    /// short), as a stream from its local headers.
    private func openZip() throws(ArchiveError) {
        archive_read_support_format_zip_seekable(archive)
        if archive_read_open_fd(archive, input.fd, Int(input.buffer.count)) == DS_ARCHIVE_OK {
            seekableZip = true
            return
        }
        zipFallback = archive_error_string(archive).map { String(cString: $0) }
        guard let handle = archive_read_new() else { throw ArchiveError(.unreadable, archive: path, reason: "out of memory") }
        archive_read_free(archive)
        archive = handle
        input.rewind()
        archive_read_support_format_zip_streamable(handle)
        let context = Unmanaged.passUnretained(input).toOpaque()
        let status = archive_read_open(handle, context, nil, { a, c, b in RawInput.read(a, c, b) }, nil)
        if status != DS_ARCHIVE_OK { throw failure(.notAnArchive) }
        warnings.append(Problem(path: path, reason: "no zip central directory (\(zipFallback ?? "not found")): the file may "
                                + "be cut short; read from its local headers, so symlinks and permissions are not restored"))
    }

    /// Bytes of the archive file read so far (for progress).
    public var bytesRead: Int64 {
        if readWholeFile { return fileSize }
        return seekableZip ? min(fileSize, Int64(archive_filter_bytes(archive, -1))) : input.consumed
    }

    /// Damaged entries skipped and other problems found since the last call, in archive order
    /// within each list.
    public func takeProblems() -> (failures: [Problem], warnings: [Problem]) {
        defer { failures.removeAll(); warnings.removeAll() }
        return (failures, warnings)
    }

    /// Moves to the next entry; `nil` at the end of the archive. Unread data of the current entry
    /// is read through (and observed) first. A damaged header is skipped and noted; a damaged
    /// stream throws.
    public func next() throws(ArchiveError) -> ArchiveEntry? {
        let previous = entryPath
        var skipped: (from: String, blocks: Int, reason: String)?
        // A run of damaged headers (the tar reader tries each following 512-byte block) is one
        // problem, reported once the reader is past it.
        func reportSkipped() {
            guard let skipped else { return }
            skippedDamage = true
            let after = previous.map { " after entry '\($0)'" } ?? ""
            failures.append(Problem(path: path, reason: "damaged entry header\(after) \(skipped.from); \(skipped.blocks) "
                                    + "header\(skipped.blocks == 1 ? "" : "s") skipped, the entry there is lost: \(skipped.reason)"))
        }
        while true {
            var handle: OpaquePointer? = nil
            let status = UTF8Locale.run { archive_read_next_header(archive, &handle) }
            if status == DS_ARCHIVE_RETRY {
                if skipped == nil { skipped = (position(header: true), 0, libarchiveMessage) }
                skipped!.blocks += 1
                continue
            }
            reportSkipped()
            skipped = nil
            if status == DS_ARCHIVE_EOF { entryPath = nil; reachedEnd = true; return nil }
            if status == DS_ARCHIVE_FAILED, let handle {
                // This entry cannot be used (an unsupported variant, a name that cannot be
                // converted); the ones after it can.
                sawEntry = true
                let entry = Self.describe(handle)
                entryPath = entry.path
                failures.append(Problem(path: entry.path, reason: "\(libarchiveMessage) (\(position(header: true))); skipped"))
                continue
            }
            guard status == DS_ARCHIVE_OK || status == DS_ARCHIVE_WARN, let handle else {
                throw failure(sawEntry ? .corrupt : .notAnArchive)
            }
            sawEntry = true
            let entry = Self.describe(handle)
            entryPath = entry.path
            if status == DS_ARCHIVE_WARN {
                // A zip entry whose local header disagrees with the central directory (size,
                // CRC) is ambiguous: other tools may unpack different data from it.
                if archive_format(archive) & DS_ARCHIVE_FORMAT_BASE_MASK == DS_ARCHIVE_FORMAT_ZIP {
                    failures.append(Problem(path: entry.path, reason: "\(libarchiveMessage) (\(position(header: true))); "
                                            + "skipped: the zip's headers disagree about this entry"))
                    continue
                }
                warnings.append(Problem(path: entry.path, reason: libarchiveMessage))
            }
            return entry
        }
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
            case DS_ARCHIVE_OK:
                return (UnsafeRawBufferPointer(start: buffer, count: size), Int64(offset))
            case DS_ARCHIVE_RETRY: continue
            // libarchive 3.6 reports a zip entry whose CRC-32 or size does not match its header
            // as a warning, with its last block: the entry's data cannot be trusted.
            case DS_ARCHIVE_FAILED, DS_ARCHIVE_WARN: throw failure(.unreadableEntry)
            default: throw failure(.corrupt)
            }
        }
    }

    /// After the last entry: reads whatever follows the end of the archive (padding, trailing
    /// bytes, the compression's trailer, whose checks fail a damaged stream) and closes the
    /// reader, checking its final status; a digest then covers the whole file.
    public func readToEnd() throws(ArchiveError) {
        if reachedEnd, archive_read_close(archive) < DS_ARCHIVE_WARN { throw failure(.corrupt) }
        if let decompressed, !decompressed.drain() {
            throw ArchiveError(decompressed.exceededLimit ? .limit : .corrupt, archive: path,
                               reason: decompressed.error ?? "read error")
        }
        if seekableZip || zipFallback != nil {
            try digestWholeFile()
            readWholeFile = true
            return
        }
        while true {
            let n = input.fill()
            if n == 0 { readWholeFile = true; return }
            if n < 0 { throw ArchiveError(.unreadable, archive: path, reason: input.error ?? "read error") }
        }
    }

    /// The zip was not read in file order: the observer sees the whole file, in order, now.
    private func digestWholeFile() throws(ArchiveError) {
        guard let observe else { return }
        input.rewind()
        input.observe = observe
        while true {
            let n = input.fill()
            if n == 0 { return }
            if n < 0 { throw ArchiveError(.unreadable, archive: path, reason: input.error ?? "read error") }
        }
    }

    /// What the archive turned out to be, e.g. `gzip, GNU tar format`; empty before the first entry.
    public var formatName: String {
        var names: [String] = []
        if let compression = decompressed?.compression { names.append(compression.rawValue) }
        if sawEntry, let format = archive_format_name(archive) { names.append(String(cString: format)) }
        return names.joined(separator: ", ")
    }

    /// Where the reader is, for messages: the current header's position (`header`) or how far
    /// the (decompressed) archive was read, and the file offset when they differ.
    private func position(header: Bool = false) -> String {
        let offset = header ? Int64(archive_read_header_position(archive)) : Int64(archive_filter_bytes(archive, 0))
        if decompressed?.compression != nil {
            return "at byte \(offset) of the decompressed archive (about byte \(input.consumed) of the file)"
        }
        return "at byte \(offset)"
    }

    private var libarchiveMessage: String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    private func failure(_ kind: ArchiveError.Kind) -> ArchiveError {
        if let readError = input.error { return ArchiveError(.unreadable, archive: path, reason: readError) }
        if let decompressed, let error = decompressed.error {
            // The decompressor's own verdict: damage (even while libarchive was still
            // recognising the format), the size bound, or nesting.
            let kind: ArchiveError.Kind = decompressed.exceededLimit ? .limit : decompressed.foundNesting ? .notAnArchive : .corrupt
            return ArchiveError(kind, archive: path, entry: entryPath, reason: error)
        }
        return ArchiveError(kind, archive: path, entry: entryPath, reason: "\(libarchiveMessage) (\(position()))")
    }

    private static func describe(_ entry: OpaquePointer) -> ArchiveEntry {
        // Raw bytes, in this thread's UTF-8 locale (zip names flagged UTF-8 convert to UTF-8;
        // others stay as stored), then escaped if they are not UTF-8.
        let (path, escaped) = name(archive_entry_pathname(entry))
        let mode = UInt32(archive_entry_mode(entry))
        let kind: ArchiveEntry.Kind
        if let target = archive_entry_hardlink(entry) {
            kind = .hardlink(target: name(target).text)
        } else {
            switch UInt32(archive_entry_filetype(entry)) {
            case DS_AE_IFREG: kind = .file
            case DS_AE_IFDIR: kind = .directory
            case DS_AE_IFLNK: kind = .symlink(target: name(archive_entry_symlink(entry)).text)
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
        var result = ArchiveEntry(path: path, kind: kind, mode: mode & 0o7777, size: size, modified: modified)
        result.nameWasEscaped = escaped
        return result
    }

    private static func name(_ pointer: UnsafePointer<CChar>?) -> (text: String, escaped: Bool) {
        guard let pointer else { return ("", false) }
        let decoded = EntryName.decode(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        return (decoded.name, decoded.escaped)
    }
}
