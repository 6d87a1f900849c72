/// What `dataset run` records when a step finishes (`<work>/.stamps/<step>.json`): the step's
/// digest. A later run skips the step while the digest is the same and its output exists.
public struct StepStamp: Sendable, Codable, Equatable {
    public var step: String
    public var digest: String
    public var arguments: [String]
    public var finished: String

    public init(step: String, digest: String, arguments: [String], finished: String) {
        self.step = step
        self.digest = digest
        self.arguments = arguments
        self.finished = finished
    }
}
