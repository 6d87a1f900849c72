#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file-system operation that failed, with the path and the system's reason.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    /// Builds the error from the current `errno`.
    static func fromErrno(_ operation: String, _ path: String) -> FileError {
        FileError(path: path, operation: operation, reason: String(cString: strerror(errno)))
    }

    /// The path is shown escaped (`printableName`): it may be a name read from the input.
    public var description: String { "cannot \(operation) \(printableName(path)): \(reason)" }
}
