import Synchronization

/// A folder that relative paths read from side files must stay below once symlinks are
/// resolved, checked for many paths from any thread: the root is resolved once, and each
/// folder on the way once (`split --move` checks every file it moves; its files come a few
/// folders at a time).
public final class ConfinedRoot: Sendable {
    /// The root as given, normalised (no trailing `/`).
    public let path: String
    /// Its canonical path once it exists, and the canonical paths of folders below it already
    /// resolved (by their path as given).
    private let resolved = Mutex<(root: String?, folders: [String: String])>((nil, [:]))

    public init(_ root: String) {
        path = FileTree.normalise(root)
    }

    /// The root's canonical path; nil while it does not exist (nor does anything below it).
    private var canonical: String? {
        if let known = resolved.withLock({ $0.root }) { return known }
        guard let found = FileTree.canonical(path) else { return nil }
        resolved.withLock { $0.root = found }
        return found
    }

    /// `root/relative`, after checking that it is still inside the root once symlinks are
    /// resolved: the deepest part of it that exists must resolve below the root's canonical
    /// path. With `followingFinalLink` false the last component itself may be a symlink (a
    /// move or an unlink acts on the link, not on what it points to); only the folders on the
    /// way are resolved. Names that do not exist yet are below their existing parent, so a
    /// path about to be created is checked as far as it exists.
    public func location(of relative: ContainedPath, followingFinalLink: Bool = true) throws(UntrustedPathError) -> String {
        let full = path + "/" + relative.relative
        guard let canonical else { return full }
        var parts = relative.components
        if !followingFinalLink { parts.removeLast() }
        let folders = followingFinalLink ? parts.count - 1 : parts.count
        while !parts.isEmpty {
            let prefix = path + "/" + parts.joined(separator: "/")
            // Only folders are remembered: there are few of them, and files come and go.
            let isFolder = parts.count <= folders
            if let real = (isFolder ? resolved.withLock { $0.folders[prefix] } : nil) ?? FileTree.canonical(prefix) {
                guard ContainedPath.isBelow(real, canonical) else {
                    throw UntrustedPathError(source: full, value: relative.relative,
                                             reason: "leads out of \(path) through a symlink (to \(real))")
                }
                if isFolder { resolved.withLock { $0.folders[prefix] = real } }
                break
            }
            parts.removeLast()
        }
        return full
    }

    /// Checks a full path made of `root/` and a relative path before a move or an unlink: the
    /// relative part is contained, and its folders, symlinks resolved, are below the root (the
    /// file itself may be a symlink: a move renames the link).
    public func confine(_ fullPath: String) throws(UntrustedPathError) {
        guard fullPath.hasPrefix(path + "/") else {
            throw UntrustedPathError(source: fullPath, value: fullPath, reason: "is not inside \(path)")
        }
        let relative = try ContainedPath(String(fullPath.dropFirst(path.count + 1)), from: path)
        _ = try location(of: relative, followingFinalLink: false)
    }
}
