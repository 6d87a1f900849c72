import Foundation

/// Limits of one download: how long to wait and how much to accept.
public struct DownloadSettings: Sendable, Equatable {
    /// Seconds without a byte from the server (connecting included) before giving up.
    public var idleTimeout: TimeInterval
    /// Seconds the whole transfer may take (a slow link fetching 500 MB needs hours, not days).
    public var totalTimeout: TimeInterval
    /// The largest file accepted: a server announcing or sending more is refused, so a hostile
    /// or broken one cannot fill the disk.
    public var maxBytes: Int64
    /// Sent as `User-Agent`.
    public var userAgent: String

    public init(idleTimeout: TimeInterval = 60, totalTimeout: TimeInterval = 12 * 3600,
                maxBytes: Int64 = 4 << 30, userAgent: String = "dataset") {
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout
        self.maxBytes = maxBytes
        self.userAgent = userAgent
    }
}
