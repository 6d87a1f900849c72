#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the files of a folder tree, sorted, as paths relative to the root.
///
/// Hidden entries (`.DS_Store`, `._*` resource forks, `.git`), macOS `__MACOSX` folders and our
/// own temporary files are skipped. Symbolic links are followed (a split made with `--symlink`
/// is a tree of links), with a guard against directory cycles.
///
/// A subfolder or entry that cannot be read (a folder opendir refuses, a broken or looping
/// link) does not stop the scan: it is recorded in `problems` and the rest is listed, so one
/// bad folder costs its own files, not the whole run.
public struct FileTree: Sendable {
    public let root: String
    /// Relative paths of every regular file found, sorted by byte order.
    public let files: [String]
    /// Subfolders and entries that could not be read (full path, reason), sorted by path.
    /// Commands report them as failures: the files below them are missing from `files`.
    public let problems: [Problem]

    /// Scans `root`. Paths under `excluding` (e.g. an output folder nested in the input) are
    /// left out. Throws only when `root` itself cannot be read.
    public init(root: String, excluding: [String] = []) throws(FileError) {
        let base = FileTree.normalise(root)
        guard FileIO.isDirectory(base) else {
            throw FileError(path: root, operation: "read folder", reason: FileIO.exists(base) ? "not a folder" : "no such folder")
        }
        self.root = base
        let excluded = Set(excluding.map { FileTree.canonical(FileTree.normalise($0)) }.compactMap { $0 })
        var found: [String] = []
        var visited = Set<[UInt64]>()
        var problems: [Problem] = []
        try FileTree.walk(base, relative: "", excluded: excluded, visited: &visited, into: &found, problems: &problems)
        self.files = found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.problems = problems.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The files whose extension names an image format.
    public var images: [String] {
        files.filter { ImageFormat(fileExtension: FileTree.pathExtension($0)) != nil }
    }

    /// `a/b.JPG` → `JPG`; no extension → "".
    public static func pathExtension(_ path: String) -> String {
        // Scans back from the end only (this runs once per file of a tree).
        let name = path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// `a/b.jpg` → `a/b`.
    public static func deletingExtension(_ path: String) -> String {
        let ext = pathExtension(path)
        return ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
    }

    static func isSkipped(_ name: String) -> Bool {
        name.hasPrefix(".") || name == "__MACOSX" || name.hasSuffix(FileIO.temporarySuffix)
    }

    public static func normalise(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p.isEmpty ? "." : p
    }

    public static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Lists `directory` and, recursively, its subfolders. Throws only when `directory` itself
    /// cannot be opened; what goes wrong below it is recorded in `problems`.
    private static func walk(_ directory: String, relative: String, excluded: Set<String>, visited: inout Set<[UInt64]>,
                             into found: inout [String], problems: inout [Problem]) throws(FileError) {
        var info = stat()
        guard stat(directory, &info) == 0 else { throw .fromErrno("read folder", directory) }
        // A directory reached twice (through a link cycle) is walked once.
        guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
        if !excluded.isEmpty, let real = canonical(directory), excluded.contains(real) { return }
        guard let handle = opendir(directory) else { throw .fromErrno("read folder", directory) }
        defer { closedir(handle) }
        var subdirectories: [String] = []
        while true {
            // readdir returns nil both at the end and on an error; only errno tells them apart.
            errno = 0
            guard let entry = readdir(handle) else { break }
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." || isSkipped(name) { continue }
            let path = directory + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var kind = Int32(entry.pointee.d_type)
            if kind == Int32(DT_LNK) || kind == Int32(DT_UNKNOWN) {
                var target = stat()
                guard stat(path, &target) == 0 else {
                    let reason = errno == ENOENT ? "a symbolic link to nothing (its target is missing)"
                        : "cannot be read: " + String(cString: strerror(errno))
                    problems.append(Problem(path: path, reason: reason + "; left out"))
                    continue
                }
                kind = (target.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : ((target.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : -1)
            }
            if kind == Int32(DT_DIR) { subdirectories.append(name) } else if kind == Int32(DT_REG) { found.append(rel) }
        }
        if errno != 0 {
            problems.append(Problem(path: directory, reason: "listing stopped: " + String(cString: strerror(errno)) + "; the rest of the folder is left out"))
        }
        for name in subdirectories {
            do {
                try walk(directory + "/" + name, relative: relative.isEmpty ? name : relative + "/" + name,
                         excluded: excluded, visited: &visited, into: &found, problems: &problems)
            } catch {
                problems.append(Problem(path: error.path, reason: "cannot read folder: \(error.reason); its files are left out"))
            }
        }
    }
}
