/// What to do with one archive entry, decided from its header alone.
public enum EntryDecision: Sendable, Equatable {
    /// Write it as planned.
    case write(EntryPlan)
    /// Do not write it; the reason is shown to the user.
    case refuse(String)
    /// Nothing to do (the folder itself, `./`).
    case ignore
}

/// A safe entry, ready for the writer: a clean relative path and sanitised permissions.
public struct EntryPlan: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        case file
        case directory
        /// A symlink whose target is normalised (only leading `..`) and stays inside the folder.
        case symlink(target: String)
        /// A hard link to an earlier entry, by its clean path components.
        case hardlink(target: [String])
    }

    /// Path components below the destination folder: never empty, `.` or `..`.
    public var components: [String]
    public var action: Action
    /// Permission bits to create with (setuid, setgid and sticky removed; the umask still applies).
    public var permissions: UInt32
    /// The entry asked for setuid/setgid/sticky bits, which were removed.
    public var droppedSpecialBits: Bool

    public var path: String { components.joined(separator: "/") }
}

/// Decides whether an archive entry is safe to write inside the destination folder, and where.
///
/// Pure: no file system access, so every unsafe kind is unit-testable. The writer then enforces
/// the rest at write time (it never follows a symlink on the way to a file).
public enum EntryPolicy {
    /// Refusal reasons, as shown to the user.
    public enum Reason {
        public static let emptyPath = "empty path"
        public static let absolutePath = "absolute path"
        public static let parentComponent = "'..' component"
        public static let symlinkOutside = "symlink target outside DIR"
        public static let hardlinkOutside = "hardlink target outside DIR"
        public static let deviceFile = "device file"
        public static let fifo = "FIFO (named pipe)"
        public static let socket = "socket"
        public static let unknownType = "unknown entry type"
    }

    public static func decide(_ entry: ArchiveEntry) -> EntryDecision {
        let components: [String]
        switch cleanPath(entry.path) {
        case .success(let c): components = c
        case .failure(let refusal): return .refuse(refusal.reason)
        }
        if components.isEmpty {
            return entry.kind == .directory ? .ignore : .refuse(Reason.emptyPath)
        }
        let special = entry.mode & 0o7000 != 0
        let action: EntryPlan.Action
        var permissions = entry.mode & 0o777 | 0o600
        switch entry.kind {
        case .file:
            action = .file
        case .directory:
            action = .directory
            permissions |= 0o700  // we must be able to write its entries
        case .symlink(let target):
            guard let normalised = symlinkTarget(target, linkParent: components.dropLast()) else {
                return .refuse("\(Reason.symlinkOutside) (\(target))")
            }
            action = .symlink(target: normalised)
            permissions = 0o777
        case .hardlink(let target):
            guard !target.hasPrefix("/"), let resolved = resolve(target, from: []), !resolved.isEmpty else {
                return .refuse("\(Reason.hardlinkOutside) (\(target))")
            }
            action = .hardlink(target: resolved)
        case .characterDevice, .blockDevice:
            return .refuse(Reason.deviceFile)
        case .fifo:
            return .refuse(Reason.fifo)
        case .socket:
            return .refuse(Reason.socket)
        case .unknown(let code):
            return .refuse("\(Reason.unknownType) (0o\(String(code, radix: 8)))")
        }
        return .write(EntryPlan(components: components, action: action, permissions: permissions,
                                droppedSpecialBits: special))
    }

    struct Refusal: Error { var reason: String }

    /// `./a//b/` → `[a, b]`; refuses absolute paths and any `..`.
    static func cleanPath(_ path: String) -> Result<[String], Refusal> {
        if path.isEmpty { return .failure(Refusal(reason: Reason.emptyPath)) }
        if path.hasPrefix("/") { return .failure(Refusal(reason: Reason.absolutePath)) }
        var components: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { return .failure(Refusal(reason: Reason.parentComponent)) }
            components.append(String(part))
        }
        return .success(components)
    }

    /// Resolves `path` lexically from the folder `base` (components below the root); `nil` when
    /// it climbs above the root.
    static func resolve(_ path: String, from base: [String]) -> [String]? {
        var stack = base
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if stack.isEmpty { return nil }
                stack.removeLast()
            } else {
                stack.append(String(part))
            }
        }
        return stack
    }

    /// The target a symlink in folder `linkParent` is created with, or `nil` when it would point
    /// outside the root.
    ///
    /// Absolute targets are refused. Relative ones are rewritten to their shortest form: `..`
    /// only at the front, then names. Why: the kernel resolves a leading `..` from the link's own
    /// folder, which the writer creates as a real directory (never through a symlink), so those
    /// steps stay inside; a `..` after a name could climb out of a symlinked folder
    /// (`s -> .` then `t -> s/..`). The names that follow only descend, through real folders or
    /// links that were themselves made safe this way.
    static func symlinkTarget<Parent: Collection<String>>(_ target: String, linkParent: Parent) -> String? {
        guard !target.isEmpty, !target.hasPrefix("/") else { return nil }
        let parent = Array(linkParent)
        guard let resolved = resolve(target, from: parent) else { return nil }
        var common = 0
        while common < parent.count, common < resolved.count, parent[common] == resolved[common] { common += 1 }
        let parts = Array(repeating: "..", count: parent.count - common) + resolved[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
