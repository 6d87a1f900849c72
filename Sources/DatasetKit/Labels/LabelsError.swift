/// Why a labels file (a CSV of labels or tags, a mapping, a `labels.csv` matrix) could not be
/// used as a whole. Problems with single rows are reported per row and do not throw.
public enum LabelsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case file(FileError)
    /// The file has no header row (it is empty or blank).
    case noHeader(path: String)
    /// A named column is not in the header. `role` says what it was for ("id", "label", "tags").
    case missingColumn(path: String, column: String, role: String, available: [String])
    /// The file is not valid text or breaks its format at `line` (1-based; 0 when unknown).
    case malformed(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .file(let error):
            return error.description
        case .noHeader(let path):
            return "\(path) is empty: expected a header row naming the columns"
        case .missingColumn(let path, let column, let role, let available):
            let columns = available.map { "'\($0)'" }.joined(separator: ", ")
            return "\(path) has no column '\(column)' for the \(role) (its columns: \(columns))"
        case .malformed(let path, let line, let reason):
            return line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)"
        }
    }
}
