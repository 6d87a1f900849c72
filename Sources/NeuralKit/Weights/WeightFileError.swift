/// A pretrained weight file that cannot be read: missing, not in a known format, damaged, or
/// beyond a limit. The description names the file, the place inside it (a layer, dataset or
/// attribute path) and the reason.
public struct WeightFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers that react differently (a missing tensor vs a damaged file).
    public enum Kind: Sendable, Equatable {
        /// The file cannot be opened or read (missing, a folder, permissions, truncated).
        case unreadable
        /// The file is not in a format this reader knows, or its structure is not what the
        /// format writes (e.g. no `layer_names`).
        case format
        /// Something the file itself names (a layer, a weight) is not in it.
        case missing
        /// A dataset holds a type that is not read as float (integers, strings, compounds).
        case dataType
        /// A size in the file exceeds what this reader accepts (rank, element count, name length).
        case limit
    }

    public var kind: Kind
    /// The file.
    public var path: String
    /// Where in the file, e.g. `/model_weights/conv1/conv1/kernel:0`; nil for the file as a whole.
    public var location: String?
    public var reason: String

    public init(_ kind: Kind, path: String, location: String? = nil, reason: String) {
        self.kind = kind
        self.path = path
        self.location = location
        self.reason = reason
    }

    public var description: String {
        if let location { return "\(path): \(location): \(reason)" }
        return "\(path): \(reason)"
    }
}
