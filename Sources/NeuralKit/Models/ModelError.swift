/// A model that cannot be built or loaded, with the reason in the user's terms.
public enum ModelError: Error, Sendable, CustomStringConvertible {
    /// A layer does not fit the shape it receives (e.g. a convolution larger than its input).
    case shape(String)
    /// A model file is missing, unreadable or inconsistent.
    case file(String)

    public var description: String {
        switch self {
        case .shape(let message): message
        case .file(let message): message
        }
    }
}
