/// A synthetic dataset in the layout of a real one (Food-101, Recipes5k, ...): the list of
/// its files and folders, and where they go. `SampleWriter` writes it.
public protocol SampleLayout: Sendable {
    /// An archive file or a folder tree under the output folder.
    var target: SampleTarget { get }
    /// How many entries are images (for progress and the report).
    var imageCount: Int { get }
    /// Every entry in writing order. Images are rendered when written, so the list is cheap.
    func entries() -> [SampleEntry]
}

/// Where a sample layout is written, relative to the output folder.
public enum SampleTarget: Sendable, Equatable {
    /// One archive file, e.g. `food-101.tar.gz`.
    case archive(name: String, format: ArchiveFormat)
    /// Files and folders; entry paths are relative to the output folder. `name` is the
    /// top-level folder the layout fills (nil when it writes straight into the output folder).
    case folder(name: String?)
}

/// One file or folder of a sample dataset.
public struct SampleEntry: Sendable {
    public enum Content: Sendable {
        case directory
        case file([UInt8])
        /// Encoded when written: images are the costly part, so they are made in parallel.
        case image(@Sendable () throws(ImageError) -> [UInt8])
    }

    /// Relative path with `/` separators; directories end with `/`.
    public var path: String
    public var content: Content

    public init(path: String, content: Content) {
        self.path = path
        self.content = content
    }

    public static func directory(_ path: String) -> SampleEntry {
        SampleEntry(path: path.hasSuffix("/") ? path : path + "/", content: .directory)
    }

    /// A UTF-8 text file; `crlf` writes Windows line endings, as some real datasets have.
    public static func text(_ path: String, lines: [String], crlf: Bool = false) -> SampleEntry {
        let newline = crlf ? "\r\n" : "\n"
        return SampleEntry(path: path, content: .file(Array(lines.map { $0 + newline }.joined().utf8)))
    }

    public static func image(_ path: String, _ make: @escaping @Sendable () throws(ImageError) -> [UInt8]) -> SampleEntry {
        SampleEntry(path: path, content: .image(make))
    }

    public var isImage: Bool {
        if case .image = content { return true }
        return false
    }
}

extension Array where Element == SampleEntry {
    /// Sorted by path bytes, as archive tools list them (`a/` before `a/b`, `cheese_plate/`
    /// before `cheesecake/`), so archives are reproducible and folders precede their contents.
    func sortedByPath() -> [SampleEntry] {
        sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}
