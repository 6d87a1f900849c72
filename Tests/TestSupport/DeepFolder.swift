import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A chain of folders so deep that its full path passes PATH_MAX: `stat` and `opendir` fail on
/// its lower folders with ENAMETOOLONG, even for root (whom `chmod 000` does not stop). Made one
/// level at a time relative to an open folder (`mkdirat`/`openat`), so the length never bites.
public enum DeepFolder {
    /// Creates `top` and the chain below it.
    public static func make(at top: String) {
        try! FileManager.default.createDirectory(atPath: top, withIntermediateDirectories: true)
        let name = String(repeating: "d", count: 250)
        var folder = open(top, O_RDONLY | O_DIRECTORY)
        precondition(folder >= 0, "cannot open \(top)")
        for _ in 0..<18 {
            precondition(mkdirat(folder, name, 0o755) == 0, "mkdirat: \(String(cString: strerror(errno)))")
            let next = openat(folder, name, O_RDONLY | O_DIRECTORY)
            close(folder)
            precondition(next >= 0, "openat: \(String(cString: strerror(errno)))")
            folder = next
        }
        close(folder)
    }

    /// Removes `top` and everything below it (GNU rm walks by descriptor, not by full path).
    public static func remove(_ top: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/rm")
        process.arguments = ["-rf", "--", top]
        try? process.run()
        process.waitUntilExit()
    }
}
