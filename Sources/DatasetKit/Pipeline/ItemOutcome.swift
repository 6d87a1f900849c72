/// What happened to one input of a file job.
public enum ItemOutcome: Sendable, Equatable {
    /// Written; `warning` notes something the user should know (e.g. a misnamed file).
    case done(warning: String? = nil)
    /// Left alone because its output already exists (a rerun), or it was not ours to process.
    case skipped
    /// Not written, with the reason.
    case failed(String)
}

/// A file and what is wrong with it.
public struct Problem: Sendable, Codable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason` on one line for people, control characters escaped (`printableName`): the
    /// path is a name from the input and must not break or forge a report line. The fields keep
    /// the exact name (for `--json`).
    public var description: String { printableName(path + ": " + reason) }
}

extension ItemOutcome {
    /// The outcome for an error thrown while processing one file, with the message a user reads
    /// (the path is added by the summary, so "no such file" needs no repeat of it).
    public static func failure(_ error: any Error) -> ItemOutcome {
        switch error {
        case let error as ImageError: return .failed(error.description)
        case let error as FileError: return .failed(error.operation == "open" ? error.reason : error.description)
        default: return .failed("\(error)")
        }
    }
}
