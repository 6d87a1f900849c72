/// Why a sample could not be written.
public enum SampleWriteError: Error, Sendable, CustomStringConvertible {
    case archive(ArchiveWriteError)
    case file(FileError)
    case image(path: String, ImageError)

    public var description: String {
        switch self {
        case .archive(let error): error.description
        case .file(let error): error.description
        case .image(let path, let error): "cannot make \(path): \(error)"
        }
    }
}
