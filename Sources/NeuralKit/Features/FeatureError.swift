import DatasetKit

/// Why `dataset features` (or the merge of its workers' outputs) cannot go on. Every case names
/// the file or folder it is about.
public enum FeatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input cannot be read as features need it (`path`: the folder or file).
    case source(String, String)
    /// The input was packed in a way the backbone cannot use; the text says what to do.
    case preparation(String, String)
    /// The output folder cannot be used as asked.
    case output(String, String)
    /// A file of a worker's output (or of an earlier run's parts) does not hold what was recorded.
    case part(String, String)
    /// `--strict`: the first row that failed stopped the run (earlier parts are kept for a rerun).
    case stopped(Problem)

    public var description: String {
        switch self {
        case .source(let path, let reason), .preparation(let path, let reason), .output(let path, let reason), .part(let path, let reason):
            "\(path): \(reason)"
        case .stopped(let problem): "\(problem) (--strict stopped the run; a rerun keeps the finished parts)"
        }
    }
}
