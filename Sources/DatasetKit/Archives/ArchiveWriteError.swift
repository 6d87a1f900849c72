/// Why an archive could not be written. Whatever happened, nothing is left under the
/// archive's final name (the writer works on a hidden temporary file until `finish()`).
public enum ArchiveWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The archive file could not be started (missing folder, no permission, bad settings).
    case cannotCreate(archive: String, reason: String)
    /// An entry name an archive must not hold: empty, absolute, or with a `..` component
    /// (extracting it would write outside the target folder).
    case invalidEntryName(archive: String, entry: String, reason: String)
    /// libarchive failed on an entry (disk full, a name the format cannot store, ...).
    case entryFailed(archive: String, entry: String, reason: String)
    /// Closing the archive or renaming it into place failed.
    case finishFailed(archive: String, reason: String)
    /// The writer was used after `finish()`, `cancel()` or an earlier error ended it.
    case closed(archive: String)

    public var description: String {
        switch self {
        case .cannotCreate(let archive, let reason):
            "cannot create archive \(archive): \(reason)"
        case .invalidEntryName(let archive, let entry, let reason):
            "cannot add \"\(entry)\" to \(archive): \(reason)"
        case .entryFailed(let archive, let entry, let reason):
            "cannot write \(entry) into \(archive): \(reason)"
        case .finishFailed(let archive, let reason):
            "cannot finish archive \(archive): \(reason)"
        case .closed(let archive):
            "archive \(archive) is already finished or abandoned after an error; start a new writer"
        }
    }
}
