/// One member of an archive, as its header describes it (the data is read separately).
public struct ArchiveEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case file
        case directory
        /// A symbolic link with its target as stored (relative to the link's folder, or absolute).
        case symlink(target: String)
        /// A hard link to an earlier member, named by its path in the archive.
        case hardlink(target: String)
        case characterDevice
        case blockDevice
        case fifo
        case socket
        /// A type code we do not know.
        case unknown(UInt32)
    }

    /// The member's path as stored (not yet checked: it may be absolute or hold `..`).
    public var path: String
    public var kind: Kind
    /// Permission bits as stored, including setuid/setgid/sticky.
    public var mode: UInt32
    /// The size the header claims; `nil` when the archive stores it after the data (streamed zip).
    public var size: Int64?
    /// Modification time (seconds, nanoseconds), when stored.
    public var modified: (seconds: Int64, nanoseconds: Int)?
    /// The stored name was not valid UTF-8 and `path` holds it escaped (see `EntryName`).
    public var nameWasEscaped = false

    public init(path: String, kind: Kind, mode: UInt32 = 0o644, size: Int64? = nil,
                modified: (seconds: Int64, nanoseconds: Int)? = nil) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.size = size
        self.modified = modified
    }

    public static func == (a: ArchiveEntry, b: ArchiveEntry) -> Bool {
        a.path == b.path && a.nameWasEscaped == b.nameWasEscaped && a.kind == b.kind && a.mode == b.mode && a.size == b.size
            && a.modified?.seconds == b.modified?.seconds && a.modified?.nanoseconds == b.modified?.nanoseconds
    }
}
