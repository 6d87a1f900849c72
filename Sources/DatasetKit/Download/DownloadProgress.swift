/// How far a download has got, as reported to a `FileDownload` progress callback.
public struct DownloadProgress: Sendable, Equatable {
    /// Bytes of the file now in the partial file, including those kept from an earlier attempt.
    public var completed: Int64
    /// The file's full size, when the server announced it.
    public var total: Int64?
    /// Bytes that were already there from an interrupted earlier run (0 for a fresh start).
    public var resumedFrom: Int64

    public init(completed: Int64, total: Int64?, resumedFrom: Int64) {
        self.completed = completed
        self.total = total
        self.resumedFrom = resumedFrom
    }
}
