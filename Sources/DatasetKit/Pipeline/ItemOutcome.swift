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
public struct Problem: Sendable, Codable, Equatable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
