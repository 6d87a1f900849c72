#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Digests of files on disk, read in 1 MiB pieces (weight files run to hundreds of MB).
public enum FileDigest {
    static let chunkSize = 1 << 20

    /// The MD5 or SHA-256 of the file at `path`, as lowercase hex.
    public static func compute(_ algorithm: ArchiveDigest.Algorithm, ofFile path: String) throws(FileError) -> String {
        let (fd, _) = try FileIO.openRegularFile(path)
        defer { close(fd) }
        let digest = StreamingDigest(algorithm)
        try feed(digest, from: fd, length: nil, path: path)
        return digest.finalize()
    }

    /// Feeds `digest` the first `length` bytes of the open file `fd` (all of it when nil),
    /// reading from offset 0 whatever the descriptor's position.
    static func feed(_ digest: StreamingDigest, from fd: Int32, length: Int64?, path: String) throws(FileError) {
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var offset: Int64 = 0
        while length.map({ offset < $0 }) ?? true {
            let want = length.map { Int(min(Int64(chunkSize), $0 - offset)) } ?? chunkSize
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
            if n < 0 { if errno == EINTR { continue }; throw .fromErrno("read", path) }
            if n == 0 {
                guard length == nil else {
                    throw FileError(path: path, operation: "read", reason: "the file is shorter than \(length!) bytes")
                }
                break
            }
            chunk.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += Int64(n)
        }
    }
}
