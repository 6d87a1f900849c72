/// Why an archive could not be read, naming the archive and, when known, the entry.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The file could not be opened or read.
        case unreadable
        /// Not a tar or zip archive (or a compression we do not read).
        case notAnArchive
        /// The archive ended early or its bytes are damaged.
        case corrupt
        /// One entry's data cannot be read (encrypted, or an unsupported method); the entries
        /// after it still can.
        case unreadableEntry
        /// Reading on would pass a bound set to stop decompression bombs (the reason names the
        /// flag that raises it).
        case limit
    }

    public var kind: Kind
    public var archive: String
    /// The entry being read when it failed (`nil` before the first or between entries).
    public var entry: String?
    public var reason: String

    public init(_ kind: Kind, archive: String, entry: String? = nil, reason: String) {
        self.kind = kind
        self.archive = archive
        self.entry = entry
        self.reason = reason
    }

    public var description: String {
        let place = entry.map { " at entry '\($0)'" } ?? ""
        switch kind {
        case .unreadable: return "cannot read \(archive): \(reason)"
        case .notAnArchive: return "\(archive) is not a tar or zip archive we can read (\(reason))"
        case .corrupt: return "\(archive) is damaged or truncated\(place): \(reason)"
        case .unreadableEntry: return "cannot read entry '\(entry ?? "?")' of \(archive): \(reason)"
        case .limit: return "stopped reading \(archive)\(place): \(reason)"
        }
    }
}
