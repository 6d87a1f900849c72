/// How a file gets from a source tree into an output tree.
public enum TransferMode: String, Sendable, Codable, CaseIterable {
    /// A hard link: no extra space, instant; source and output must share a file system.
    /// Both names are the same file, so edit neither in place (our commands never do: they
    /// write a new file and rename it).
    case link
    /// An independent copy, written under a temporary name and renamed into place.
    case copy
    /// A relative symbolic link to the source (still valid when both trees move together).
    case symlink
    /// The file itself moves (`rename`); across file systems it is copied, synced, renamed
    /// into place, and only then removed from the source.
    case move
}
