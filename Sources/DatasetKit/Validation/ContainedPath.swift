#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A name or path read from a file we do not control (a manifest, a journal, a list, a recipe)
/// that is not safe to use below the folder it is meant for.
public struct UntrustedPathError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the value was read from: a file, and the field or line in it when known.
    public var source: String
    /// The offending value, as read.
    public var value: String
    public var reason: String

    public init(source: String, value: String, reason: String) {
        self.source = source
        self.value = value
        self.reason = reason
    }

    /// The value is shown escaped (`printableName`), so a hostile name cannot forge output lines.
    public var description: String { printableName("\(source): '\(value)' \(reason)") }
}

/// One file or folder name: not empty, not `.` or `..`, without `/` or NUL, at most
/// `NAME_MAX` bytes. What a manifest's shard file, a recipe's name or a class folder must be.
public struct PlainName: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Checks `value`, read from `source` (a file, with the field or line), and throws a
    /// message naming both when it is not one plain name.
    public init(_ value: String, from source: String) throws(UntrustedPathError) {
        if let reason = PlainName.problem(value) {
            throw UntrustedPathError(source: source, value: value, reason: reason)
        }
        self.value = value
    }

    public var description: String { value }

    /// Why `value` is not one plain name, or nil when it is.
    public static func problem(_ value: some StringProtocol) -> String? {
        if value.isEmpty { return "is empty, not a file name" }
        if value == "." || value == ".." { return "is not a file name" }
        if value.utf8.contains(UInt8(ascii: "/")) { return "is not one file name (it holds '/')" }
        if value.utf8.contains(0) { return "holds a NUL byte" }
        if value.utf8.count > Int(NAME_MAX) { return "is longer than \(NAME_MAX) bytes" }
        return nil
    }
}

/// A relative path that stays below its root: every component a `PlainName` (so no leading
/// `/`, no empty, `.` or `..` component). `location(in:)` (or a `ConfinedRoot`, for many
/// paths) then checks, on disk, that symlinked folders on the way do not lead out of the root.
public struct ContainedPath: Sendable, Hashable, CustomStringConvertible {
    /// The path as given (components joined by single `/`).
    public let relative: String

    /// Checks `value`, read from `source`, and throws a message naming both when it could
    /// leave its root.
    public init(_ value: String, from source: String) throws(UntrustedPathError) {
        if let reason = ContainedPath.problem(value) {
            throw UntrustedPathError(source: source, value: value, reason: reason)
        }
        relative = value
    }

    public var description: String { relative }

    /// The components, first to last.
    public var components: [String] { relative.split(separator: "/").map(String.init) }

    /// Why `value` is not a relative path that stays below its root, or nil when it is.
    public static func problem(_ value: some StringProtocol) -> String? {
        if value.isEmpty { return "is an empty path" }
        if value.utf8.first == UInt8(ascii: "/") { return "is an absolute path, not one relative to its folder" }
        for part in value.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty || part == "." { return "is not a clean relative path (empty or '.' component)" }
            if part == ".." { return "climbs out of its folder ('..')" }
            if let reason = PlainName.problem(part) { return "has a component that \(reason)" }
        }
        return nil
    }

    /// True when `value` is a relative path that stays below its root (no file-system access).
    public static func isContained(_ value: some StringProtocol) -> Bool { problem(value) == nil }

    /// `root/relative`, after checking on disk that symlinked folders on the way do not lead
    /// out of `root` (`ConfinedRoot.location(of:followingFinalLink:)`, for one path).
    public func location(in root: String, followingFinalLink: Bool = true) throws(UntrustedPathError) -> String {
        try ConfinedRoot(root).location(of: self, followingFinalLink: followingFinalLink)
    }

    /// Whether canonical `path` is `root` or lies below it.
    static func isBelow(_ path: String, _ root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }
}
