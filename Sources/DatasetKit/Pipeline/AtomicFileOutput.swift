#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// A file written front to back under a hidden temporary name, hashed (SHA-256) as it is
/// written, and renamed into place by `finish()`.
///
/// For outputs too large to build in memory (shards): memory holds a 1 MiB buffer, and the
/// digest costs no second read. `cancel()`, a failure or dropping the output removes the
/// temporary file, so nothing half-written ever carries the final name.
public final class AtomicFileOutput {
    /// The final path.
    public let path: String
    /// Bytes written so far.
    public private(set) var byteCount = 0
    /// The error of the last write that failed (for callers that only see a status code, as
    /// libarchive's write callback does).
    public private(set) var lastFailure: FileError?

    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    /// Set when bytes already hashed were overwritten: the digest is then taken from the file.
    private var rewritten = false
    private static let bufferSize = 1 << 20

    /// Creates the temporary file beside `path` (its folder must exist).
    public init(path: String) throws(FileError) {
        self.path = path
        temporary = FileIO.temporaryPath(for: path)
        fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .fromErrno("create", temporary) }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { cancel() }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        do { try append(bytes) } catch {
            lastFailure = error
            throw error
        }
    }

    private func append(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        guard fd >= 0 else { throw FileError(path: path, operation: "write", reason: "the output is already closed") }
        hasher.update(bufferPointer: bytes)
        byteCount += bytes.count
        if buffer.count + bytes.count > Self.bufferSize { try flush() }
        if bytes.count >= Self.bufferSize {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func write(_ bytes: [UInt8]) throws(FileError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try write(raw) } }
        try result.get()
    }

    /// Replaces bytes already written at `offset` (a header patched once the size is known).
    /// The digest is then computed by reading the finished file once.
    public func overwrite(at offset: Int, with bytes: [UInt8]) throws(FileError) {
        precondition(offset >= 0 && offset + bytes.count <= byteCount, "overwrite only bytes already written")
        try flush()
        let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(offset)) }
        guard n == bytes.count else { throw .fromErrno("write", temporary) }
        rewritten = true
    }

    /// Closes the file, renames it to `path` and returns its SHA-256 (lower-case hex).
    @discardableResult
    public func finish() throws(FileError) -> String {
        guard fd >= 0 else { throw FileError(path: path, operation: "finish", reason: "the output is already closed") }
        do throws(FileError) {
            try flush()
            let digest = rewritten ? try digestOfFile() : hasher.finalize().hexString
            guard close(fd) == 0 else { fd = -1; throw FileError.fromErrno("close", temporary) }
            fd = -1
            guard rename(temporary, path) == 0 else { throw FileError.fromErrno("rename into", path) }
            return digest
        } catch {
            cancel()
            throw error
        }
    }

    /// Gives up: removes the temporary file. Nothing appears at `path`.
    public func cancel() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(temporary)
    }

    private func flush() throws(FileError) {
        guard !buffer.isEmpty else { return }
        let result = buffer.withUnsafeBytes { raw in Result { () throws(FileError) in try writeAll(raw) } }
        buffer.removeAll(keepingCapacity: true)
        try result.get()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 { if errno == EINTR { continue }; throw .fromErrno("write", temporary) }
            done += n
        }
    }

    private func digestOfFile() throws(FileError) -> String {
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 { if errno == EINTR { continue }; throw .fromErrno("read", temporary) }
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += off_t(n)
        }
        return hasher.finalize().hexString
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex digits, two per byte (how digests are written: `sha256sum`'s form).
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0F)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
