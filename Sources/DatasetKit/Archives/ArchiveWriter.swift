import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a tar, tar.gz or zip archive one entry at a time, through libarchive.
///
/// Streaming: each entry goes straight to the file, so memory holds one entry, not the
/// archive. Atomic: the archive is written under a hidden temporary name beside `path` and
/// renamed into place by `finish()`; `cancel()`, an error, or dropping the writer removes the
/// temporary file, so nothing half-written ever carries the final name. The file's SHA-256 is
/// taken as it is written (`sha256` after `finish()`), for manifests that list shards.
///
/// Deterministic: entries get the given modification time (a fixed date by default), owner 0,
/// no user or group names, and the gzip header no timestamp, so the same entries in the same
/// order give the same bytes. Zip is the exception: it stores times as local DOS times, so a
/// zip with times differs between time zones. Pass `mtime: nil` for entries without a time
/// (zip then shows its minimum, 1980-01-01, in every zone; tar shows 1970-01-01).
///
/// ```swift
/// let writer = try ArchiveWriter(path: "out/food-101.tar.gz", format: .tarGzip())
/// try writer.addDirectory(path: "food-101/")
/// try writer.addFile(path: "food-101/meta/classes.txt", data: Array("apple_pie\n".utf8))
/// try writer.finish()
/// ```
public final class ArchiveWriter {
    /// 2014-06-01 00:00 UTC: the default entry time, fixed so archives are reproducible.
    public static let defaultModificationTime = 1_401_580_800

    /// The archive's final path.
    public let path: String
    public let format: ArchiveFormat
    /// Entries (files and directories) added so far.
    public private(set) var entryCount = 0
    /// Bytes of file data added so far, before compression.
    public private(set) var dataBytes = 0
    /// The finished archive's SHA-256 (lower-case hex); nil until `finish()` succeeds.
    public private(set) var sha256: String?
    /// The finished archive's size in bytes; nil until `finish()` succeeds.
    public private(set) var byteCount: Int?

    private enum State { case open, finished, abandoned }
    private var state = State.open
    private var archive: OpaquePointer?
    private let entry: OpaquePointer
    private let output: AtomicFileOutput

    /// Starts an archive that will appear at `path` when finished. The folder must exist.
    public init(path: String, format: ArchiveFormat) throws(ArchiveWriteError) {
        self.path = path
        self.format = format
        do { output = try AtomicFileOutput(path: path) } catch {
            throw .cannotCreate(archive: path, reason: error.reason)
        }
        guard let archive = archive_write_new() else {
            output.cancel()
            throw .cannotCreate(archive: path, reason: "out of memory")
        }
        guard let entry = archive_entry_new() else {
            archive_write_free(archive)
            output.cancel()
            throw .cannotCreate(archive: path, reason: "out of memory")
        }
        self.archive = archive
        self.entry = entry
        if let reason = Self.configure(archive, format) {
            abandon()
            throw .cannotCreate(archive: path, reason: reason)
        }
        // libarchive hands every block to `output`, which writes and hashes it.
        let client = Unmanaged.passUnretained(output).toOpaque()
        guard archive_write_open(archive, client, nil, archiveWriteBlock, nil) == ARCHIVE_OK else {
            let reason = message(or: "cannot open the temporary file")
            abandon()
            throw .cannotCreate(archive: path, reason: reason)
        }
    }

    deinit {
        if state == .open { abandon() }
        archive_entry_free(entry)
    }

    /// Adds a directory entry (a trailing `/` is added when missing).
    public func addDirectory(path name: String, mode: Int = 0o755,
                             mtime: Int? = ArchiveWriter.defaultModificationTime) throws(ArchiveWriteError) {
        let trimmed = name.hasSuffix("/") ? String(name.dropLast()) : name
        try writeHeader(trimmed + "/", check: trimmed, type: DS_AE_IFDIR, mode: mode, size: 0, mtime: mtime)
    }

    /// Adds a regular file holding `data`.
    public func addFile(path name: String, data: [UInt8], mode: Int = 0o644,
                        mtime: Int? = ArchiveWriter.defaultModificationTime) throws(ArchiveWriteError) {
        try writeHeader(name, check: name, type: DS_AE_IFREG, mode: mode, size: data.count, mtime: mtime)
        var failure: String?
        data.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = archive_write_data(archive, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { failure = message(or: "libarchive accepted no data"); return }
                done += n
            }
        }
        if let failure {
            abandon()
            throw .entryFailed(archive: path, entry: name, reason: failure)
        }
        dataBytes += data.count
    }

    /// Writes the archive's trailer and renames it to `path` (replacing any file there).
    public func finish() throws(ArchiveWriteError) {
        guard state == .open, let archive else { throw .closed(archive: path) }
        if UTF8Locale.run({ archive_write_close(archive) }) != ARCHIVE_OK {
            let reason = message(or: "closing failed")
            abandon()
            throw .finishFailed(archive: path, reason: reason)
        }
        archive_write_free(archive)
        self.archive = nil
        let size = output.byteCount
        do { sha256 = try output.finish() } catch {
            state = .abandoned
            throw .finishFailed(archive: path, reason: error.description)
        }
        byteCount = size
        state = .finished
    }

    /// Gives up: removes the temporary file. Nothing appears at `path`.
    public func cancel() {
        if state == .open { abandon() }
    }

    // MARK: - Internals

    private static func configure(_ archive: OpaquePointer, _ format: ArchiveFormat) -> String? {
        var status: Int32
        switch format {
        case .tar:
            status = archive_write_set_format_pax_restricted(archive)
        case .tarGzip(let level):
            guard (1...9).contains(level) else { return "gzip level \(level) is outside 1-9" }
            status = archive_write_set_format_pax_restricted(archive)
            if status == ARCHIVE_OK { status = archive_write_add_filter_gzip(archive) }
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "gzip", "compression-level", "\(level)") }
            // A nil value is libarchive's "!timestamp": zero instead of the current time.
            if status == ARCHIVE_OK { status = archive_write_set_filter_option(archive, "gzip", "timestamp", nil) }
        case .zip(let compression):
            status = archive_write_set_format_zip(archive)
            if status == ARCHIVE_OK {
                status = compression == .store ? archive_write_zip_set_compression_store(archive)
                                               : archive_write_zip_set_compression_deflate(archive)
            }
        }
        // No padding to 10 KiB records: the file ends where the archive (or gzip stream) ends.
        if status == ARCHIVE_OK { status = archive_write_set_bytes_in_last_block(archive, 1) }
        guard status == ARCHIVE_OK else {
            return archive_error_string(archive).map { String(cString: $0) } ?? "libarchive rejected the \(format) settings"
        }
        return nil
    }

    private func writeHeader(_ name: String, check: String, type: UInt32, mode: Int, size: Int,
                             mtime: Int?) throws(ArchiveWriteError) {
        guard state == .open, let archive else { throw .closed(archive: path) }
        if let reason = Self.problem(withName: check) {
            throw .invalidEntryName(archive: path, entry: name, reason: reason)
        }
        guard (0...0o7777).contains(mode) else {
            throw .invalidEntryName(archive: path, entry: name, reason: "mode \(String(mode, radix: 8)) is not a permission mode")
        }
        archive_entry_clear(entry)
        archive_entry_set_pathname_utf8(entry, name)
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode_t(mode))
        archive_entry_set_size(entry, la_int64_t(size))
        if let mtime { archive_entry_set_mtime(entry, time_t(mtime), 0) }
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        if UTF8Locale.run({ archive_write_header(archive, entry) }) < ARCHIVE_WARN {
            let reason = message(or: "libarchive refused the entry")
            abandon()
            throw .entryFailed(archive: path, entry: name, reason: reason)
        }
        entryCount += 1
    }

    /// Why `name` must not be an entry name, or nil when it is fine.
    static func problem(withName name: String) -> String? {
        if name.isEmpty { return "the name is empty" }
        if name.hasPrefix("/") { return "absolute names are not allowed" }
        if name.utf8.contains(0) { return "the name contains a NUL byte" }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "the name has an empty component (\"//\" or a trailing \"/\")" }
            if component == ".." { return "a \"..\" component would escape the folder it is extracted into" }
            if component == "." { return "\".\" components are not allowed" }
        }
        if !UTF8Locale.isAvailable && !name.utf8.allSatisfy({ $0 < 0x80 }) {
            return "non-ASCII names need a UTF-8 locale (C.UTF-8), which this system lacks"
        }
        return nil
    }

    private func message(or fallback: String) -> String {
        if let failure = output.lastFailure { return failure.description }
        guard let archive, let text = archive_error_string(archive) else { return fallback }
        return String(cString: text)
    }

    /// Frees libarchive's state and removes the temporary file.
    private func abandon() {
        if let archive { archive_write_free(archive) }
        archive = nil
        output.cancel()
        state = .abandoned
    }
}

/// libarchive's write callback: appends a block to the `AtomicFileOutput` passed as client data.
private func archiveWriteBlock(_ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?,
                               _ buffer: UnsafeRawPointer?, _ length: Int) -> la_ssize_t {
    guard let client else { return -1 }
    let output = Unmanaged<AtomicFileOutput>.fromOpaque(client).takeUnretainedValue()
    do {
        try output.write(UnsafeRawBufferPointer(start: buffer, count: length))
        return la_ssize_t(length)
    } catch {
        return -1  // the output keeps the error for the message
    }
}
