/// Why an `.npy` file could not be written or read.
public enum NPYError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not an `.npy` file, or a damaged header.
    case notNPY(String)
    /// A valid file we do not read (another dtype, Fortran order).
    case unsupported(String)
    /// A row of the wrong size, or data that does not match the header.
    case shapeMismatch(String)
    case file(FileError)

    public var description: String {
        switch self {
        case .notNPY(let reason): "not a readable .npy file: \(reason)"
        case .unsupported(let what): "unsupported .npy: \(what)"
        case .shapeMismatch(let reason): reason
        case .file(let error): error.description
        }
    }
}

extension NPYError {
    /// The same error with the file's path before its reason (the header parser sees bytes only).
    func naming(_ path: String) -> NPYError {
        switch self {
        case .notNPY(let reason): .notNPY("\(path): \(reason)")
        case .unsupported(let what): .unsupported("\(path): \(what)")
        case .shapeMismatch, .file: self
        }
    }
}
