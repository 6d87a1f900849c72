#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CArchive

/// The archive file read front to back in big blocks into one buffer, each block shown to the
/// observer (so a digest of the file costs no second read).
final class RawInput {
    let fd: Int32
    let buffer: UnsafeMutableRawBufferPointer
    var observe: ((UnsafeRawBufferPointer) -> Void)?
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

    /// Up to `count` bytes at `offset`, without moving the read position or observing them.
    func peek(_ count: Int, at offset: Int64 = 0) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return Array(bytes.prefix(max(0, n)))
    }

    /// Starts again from the first byte (after a reader that seeks gave up).
    func rewind() {
        lseek(fd, 0, SEEK_SET)
        consumed = 0
    }

    /// libarchive's read callback over `fill`.
    static func read(_ archive: OpaquePointer?, _ context: UnsafeMutableRawPointer?,
                     _ block: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        let input = Unmanaged<RawInput>.fromOpaque(context!).takeUnretainedValue()
        let n = input.fill()
        if n < 0 {
            ds_archive_set_error(archive, EIO, input.error ?? "read error")
            return -1
        }
        block?.pointee = UnsafeRawPointer(input.buffer.baseAddress)
        return n
    }
}
