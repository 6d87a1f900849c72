import DatasetKit

/// What `WeightsResolver` is doing, for a command to show (a warning, a progress bar).
public enum WeightsEvent: Sendable, Equatable {
    /// A file of the right name was passed over (damaged, or not a regular file).
    case skipped(path: String, reason: String)
    /// A found file is being hashed (once; later runs trust the record of it).
    case verifying(path: String)
    /// A download starts (or resumes) from `url` into `destination`.
    case downloading(url: String, destination: String)
    /// Bytes of the download so far.
    case progress(DownloadProgress)
}
