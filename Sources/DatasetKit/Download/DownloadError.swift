/// Why a download failed, naming the address and what was expected.
public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// How a transfer broke off, which says whether trying later (or elsewhere) can help.
    public enum Interruption: Sendable, Equatable {
        /// The host name did not resolve or nothing answered: offline, a wrong address, a firewall.
        case unreachable
        /// The server stopped sending for longer than the idle timeout, or the whole took too long.
        case timedOut
        /// The connection ended before the file did; the bytes received are kept for a resume.
        case connectionLost
        /// Anything else the network layer reported (TLS, proxy, redirects...).
        case other
    }

    /// The server answered with an HTTP status other than success.
    case httpStatus(url: String, status: Int)
    /// The transfer did not complete. Bytes received so far stay in the partial file.
    case interrupted(url: String, kind: Interruption, reason: String)
    /// The server's answer makes no sense (a size over the limit, more bytes than announced...).
    case badResponse(url: String, reason: String)
    /// The complete file does not have the expected digest; it has been deleted.
    case digestMismatch(url: String, algorithm: ArchiveDigest.Algorithm, expected: String, actual: String)
    /// Another process is downloading to the same partial file right now.
    case busy(partialFile: String)
    /// The local file system refused (folder missing, disk full, rename failed...).
    case file(FileError)

    /// True when the network could not reach the server at all (the case for a message that
    /// tells the user how to place the file by hand).
    public var isUnreachable: Bool {
        if case .interrupted(_, .unreachable, _) = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .httpStatus(let url, let status):
            "downloading \(url) failed: the server answered HTTP \(status)"
        case .interrupted(let url, let kind, let reason):
            switch kind {
            case .unreachable: "cannot reach the server for \(url): \(reason)"
            case .timedOut: "downloading \(url) timed out: \(reason) (rerun to resume)"
            case .connectionLost: "downloading \(url) was cut off: \(reason) (rerun to resume)"
            case .other: "downloading \(url) failed: \(reason)"
            }
        case .badResponse(let url, let reason):
            "downloading \(url) failed: \(reason)"
        case .digestMismatch(let url, let algorithm, let expected, let actual):
            "the file downloaded from \(url) is damaged or not the expected one: its \(algorithm.rawValue) is "
                + "\(actual), expected \(expected) (the download was deleted)"
        case .busy(let partialFile):
            "another process is downloading into \(printableName(partialFile)); wait for it to finish"
        case .file(let error):
            error.description
        }
    }
}
