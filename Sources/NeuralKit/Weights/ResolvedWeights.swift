/// The weight file a `WeightsChoice` came to.
public struct ResolvedWeights: Sendable, Equatable {
    /// How the file was obtained.
    public enum Source: Sendable, Equatable {
        /// The user named it (`--weights PATH`); not checked here.
        case given
        /// Already on disk in one of the searched folders.
        case found
        /// Fetched into the tool's cache by this run.
        case downloaded
    }

    public var path: String
    public var source: Source
    /// Whether the file's digest matched the published one (now, or on an earlier run whose
    /// record still fits the file). False for a given file and for entries Keras publishes no
    /// hash for.
    public var verified: Bool

    public init(path: String, source: Source, verified: Bool) {
        self.path = path
        self.source = source
        self.verified = verified
    }
}
