/// Why `pack` stopped. Bad images do not stop it (they are reported per file); these do.
public enum PackError: Error, Sendable, Equatable, CustomStringConvertible {
    case file(FileError)
    case npy(NPYError)
    case archive(ArchiveWriteError)
    case input(LabelsError)
    /// `--strict`: the first file that failed.
    case stopped(Problem)
    /// `--normalize dataset` on a pack with no train split: its statistics would be test data's.
    case noTrainSplit(folder: String, splits: [String])

    public var description: String {
        switch self {
        case .file(let error): error.description
        case .npy(let error): error.description
        case .archive(let error): error.description
        case .input(let error): error.description
        case .stopped(let problem): "stopped at \(problem.path): \(problem.reason)"
        case .noTrainSplit(let folder, let splits):
            "\(folder): --normalize dataset takes mean/std from the train split, and there is none (splits: \(splits.joined(separator: ", "))); pack the training images with it, or use --normalize rescale or imagenet"
        }
    }
}
