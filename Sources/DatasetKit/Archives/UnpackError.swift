/// Why an unpack stopped before the end of the archive.
public enum UnpackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The archive could not be read (missing, not an archive, damaged, truncated).
    case archive(ArchiveError)
    /// Writing the next bytes would pass `--max-size`.
    case sizeLimit(limit: Int64, entry: String)
    /// The destination cannot be written at all (cannot create it, disk full, read-only).
    case destination(FileError)

    public var description: String {
        switch self {
        case .archive(let error): return "\(error)"
        case .sizeLimit(let limit, let entry):
            return "unpacked data would exceed --max-size \(ByteCount.format(limit)) at entry '\(entry)' "
                + "(a decompression bomb, or a bigger archive than expected: raise --max-size if you trust it); "
                + "that entry was not written"
        case .destination(let error): return "\(error)"
        }
    }
}
