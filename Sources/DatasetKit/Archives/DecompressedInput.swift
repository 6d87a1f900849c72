#if canImport(Glibc)
import Glibc
#endif
import CArchive

/// The archive's bytes after decompression, as the tar or zip reader sees them, counted and
/// bounded.
///
/// `--max-size` counts only the file data written; a bomb can hide its bulk in entries that are
/// refused or skipped, in headers or in padding, which are decompressed all the same. Here every
/// decompressed byte counts against `limit`. Compression inside compression (a tar.gz.gz, or a
/// gzip that unpacks to itself) is refused.
final class DecompressedInput {
    private enum Source {
        case plain(RawInput)
        case gzip(GzipStream)
        case filter(FilterStream)
    }

    private let source: Source
    let compression: Compression?
    /// The most decompressed bytes to read (`nil`: no decompression, nothing to bound).
    let limit: Int64?
    /// Decompressed bytes read so far.
    private(set) var produced: Int64 = 0
    private(set) var error: String?
    /// The error is the limit (not damage).
    private(set) var exceededLimit = false
    /// The error is compression inside compression (not damage).
    private(set) var foundNesting = false

    init?(input: RawInput, compression: Compression?, limit: Int64) {
        self.compression = compression
        self.limit = compression == nil ? nil : limit
        switch compression {
        case nil: source = .plain(input)
        case .gzip: source = .gzip(GzipStream(input: input))
        case let other?:
            guard let filter = FilterStream(input: input, compression: other) else { return nil }
            source = .filter(filter)
        }
    }

    /// The next block: its size (0 at the end, -1 on an error, kept in `error`).
    func read() -> (bytes: UnsafeRawPointer?, count: Int) {
        if error != nil { return (nil, -1) }
        let block: (bytes: UnsafeRawPointer?, count: Int)
        switch source {
        case .plain(let raw):
            let n = raw.fill()
            if n < 0 { error = raw.error ?? "read error"; return (nil, -1) }
            block = (UnsafeRawPointer(raw.buffer.baseAddress), n)
        case .gzip(let gzip):
            block = gzip.read()
            if block.count < 0 { error = gzip.error; return block }
        case .filter(let filter):
            block = filter.read()
            if block.count < 0 { error = filter.error; return block }
        }
        guard block.count > 0 else { return block }
        if produced == 0, let outer = compression,
           let inner = Compression.detectStrong(UnsafeRawBufferPointer(start: block.bytes, count: block.count)) {
            foundNesting = true
            error = "\(inner.rawValue) inside \(outer.rawValue): nested compression is refused (a decompression bomb "
                + "can nest without end); decompress the outer layer first if you trust the file"
            return (nil, -1)
        }
        produced += Int64(block.count)
        if let limit, produced > limit {
            exceededLimit = true
            error = "it decompresses to more than --max-decompressed \(ByteCount.format(limit)) (a decompression bomb, "
                + "or a bigger archive than expected: raise --max-decompressed if you trust it)"
            return (nil, -1)
        }
        return block
    }

    /// Reads what is left (past the end of the tar, which libarchive does not read), so the
    /// compression's own checks at the end of the stream (gzip's CRC-32 and length) are made.
    func drain() -> Bool {
        while true {
            let n = read().count
            if n < 0 { return false }
            if n == 0 { return true }
        }
    }

    /// libarchive's read callback over `read`.
    static func read(_ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
                     _ block: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        let input = Unmanaged<DecompressedInput>.fromOpaque(context!).takeUnretainedValue()
        let next = input.read()
        if next.count < 0 {
            ds_archive_set_error(archive, EIO, input.error ?? "read error")
            return -1
        }
        block?.pointee = next.bytes
        return next.count
    }
}
