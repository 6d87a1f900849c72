/// A container format `ArchiveWriter` produces.
public enum ArchiveFormat: Sendable, Hashable, CustomStringConvertible {
    /// How zip entries are stored.
    public enum ZipCompression: String, Sendable, Hashable {
        /// Stored as-is: the fast choice for JPEGs and PNGs, which deflate cannot shrink.
        case store
        /// Deflated, as most zip tools do.
        case deflate
    }

    /// POSIX tar (ustar headers; pax extended headers only for entries ustar cannot describe,
    /// such as names over 100 bytes), uncompressed: WebDataset shards.
    case tar
    /// The same tar through gzip at zlib `level` 1-9 (`.tar.gz`, as Food-101 ships). The gzip
    /// header carries no timestamp, so the bytes depend only on the entries.
    case tarGzip(level: Int = 6)
    /// Zip (`.zip`, as Recipes5k ships).
    case zip(ZipCompression = .store)

    /// The format a file name asks for: `.tar`, `.tar.gz`/`.tgz`, `.zip`; nil for anything else.
    public init?(fileName: String) {
        let name = fileName.lowercased()
        if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") { self = .tarGzip() }
        else if name.hasSuffix(".tar") { self = .tar }
        else if name.hasSuffix(".zip") { self = .zip() }
        else { return nil }
    }

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .tar: "tar"
        case .tarGzip: "tar.gz"
        case .zip: "zip"
        }
    }

    public var description: String {
        switch self {
        case .tar: "tar"
        case .tarGzip(let level): "tar.gz (level \(level))"
        case .zip(let compression): "zip (\(compression.rawValue))"
        }
    }
}
