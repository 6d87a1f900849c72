import CArchive

/// Decompresses a file with exactly one of libarchive's filters (bzip2, xz, lzma, zstd, lz4,
/// compress), chosen by the caller, as a plain stream of blocks.
///
/// The filter is appended explicitly, which turns libarchive's guessing off: it never looks for
/// another compression inside the output. Those formats check their own integrity (xz's CRC,
/// bzip2's block CRCs, zstd's checksum when the file has one) and libarchive reports a mismatch.
final class FilterStream {
    private let archive: OpaquePointer
    private let input: RawInput
    private var finished = false
    private(set) var error: String?

    init?(input: RawInput, compression: Compression) {
        guard let handle = archive_read_new() else { return nil }
        archive = handle
        self.input = input
        archive_read_append_filter(handle, compression.libarchiveFilter)
        archive_read_support_format_raw(handle)
        let context = Unmanaged.passUnretained(input).toOpaque()
        var entry: OpaquePointer?
        // Opening decompresses the first block already, so damage near the start shows here
        // (libarchive then says only that it recognised no format).
        guard archive_read_open(handle, context, nil, { a, c, b in RawInput.read(a, c, b) }, nil) == DS_ARCHIVE_OK,
              archive_read_next_header(handle, &entry) == DS_ARCHIVE_OK else {
            error = "the \(compression.rawValue) data is damaged or truncated near its start (read up to byte "
                + "\(input.consumed) of the file; libarchive: \(Self.message(handle)))"
            return
        }
    }

    deinit { archive_read_free(archive) }

    /// The next decompressed block: its size (0 at the end, -1 on an error, kept in `error`).
    func read() -> (bytes: UnsafeRawPointer?, count: Int) {
        if error != nil { return (nil, -1) }
        if finished { return (nil, 0) }
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(archive, &buffer, &size, &offset)
            if status == DS_ARCHIVE_EOF { finished = true; return (nil, 0) }
            if status == DS_ARCHIVE_RETRY { continue }
            if status < DS_ARCHIVE_WARN {
                error = "\(Self.message(archive)) at byte \(input.consumed) of the file"
                return (nil, -1)
            }
            if size > 0 { return (buffer, size) }
        }
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown decompression error"
    }
}
