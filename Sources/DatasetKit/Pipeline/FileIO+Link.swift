#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

extension FileIO {
    private static let linkCounter = Atomic<Int>(0)

    /// Makes `path` a hard link to `source`, atomically: the link is made under a hidden
    /// temporary name beside `path`, then renamed over it. Fails (e.g. across file systems, or on
    /// a file system without hard links) without leaving anything behind; callers then copy.
    public static func linkAtomically(_ source: String, to path: String) throws(FileError) {
        let (directory, name) = split(path)
        let serial = linkCounter.add(1, ordering: .relaxed).newValue
        let temporary = directory + "/" + temporaryName(for: name, tag: processTag + "-link\(serial)")
        guard link(source, temporary) == 0 else { throw .fromErrno("hard-link", source) }
        if rename(temporary, path) != 0 {
            let error = FileError.fromErrno("rename into", path)
            unlink(temporary)
            throw error
        }
    }
}
