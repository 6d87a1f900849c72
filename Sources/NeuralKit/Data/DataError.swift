/// Data that cannot be trained on, with the reason.
public enum DataError: Error, Sendable, CustomStringConvertible {
    case unsupported(String)
    case mismatch(String)
    case missing(String)

    public var description: String {
        switch self {
        case .unsupported(let what): "unsupported: \(what)"
        case .mismatch(let what): what
        case .missing(let what): what
        }
    }
}
