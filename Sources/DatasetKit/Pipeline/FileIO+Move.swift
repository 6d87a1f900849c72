#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FileIO {
    /// Moves `source` to `destination` (creating its folder) without ever losing it: a rename
    /// on one file system; across file systems an atomic copy first, and the source is removed
    /// only once the copy is in place. When `destination` already holds the same bytes (a move
    /// that was interrupted after copying), the source is removed and the move is complete.
    /// A different file already at `destination` is an error; nothing is replaced.
    public static func move(_ source: String, to destination: String) throws(FileError) {
        let (folder, _) = split(destination)
        try createDirectories(folder)
        if exists(destination) {
            guard try read(destination) == read(source) else {
                throw FileError(path: destination, operation: "move \(source) to", reason: "a different file is already there")
            }
            guard unlink(source) == 0 else { throw .fromErrno("remove the moved", source) }
            return
        }
        if rename(source, destination) == 0 { return }
        guard errno == EXDEV else { throw .fromErrno("move \(source) to", destination) }
        try writeAtomically(try read(source), to: destination)
        guard unlink(source) == 0 else { throw .fromErrno("remove the moved", source) }
    }
}
