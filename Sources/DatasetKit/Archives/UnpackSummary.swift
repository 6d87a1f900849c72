import Foundation

/// The end-of-run report of `unpack`: what was written, skipped and refused, the speed, the
/// digest check and the dataset recognised. Encodes to the `--json` summary.
public struct UnpackSummary: Sendable, Codable, Equatable {
    /// A digest of the archive bytes, checked against the one the user gave.
    public struct Verification: Sendable, Codable, Equatable {
        public var algorithm: String
        public var expected: String
        /// `nil` when the archive was not read to its end (the run stopped early).
        public var actual: String?
        public var matches: Bool

        public init(algorithm: String, expected: String, actual: String?) {
            self.algorithm = algorithm
            self.expected = expected
            self.actual = actual
            self.matches = actual == expected
        }
    }

    public var command = "unpack"
    public var archive: String
    public var destination: String
    /// What libarchive found, e.g. `gzip, GNU tar format`.
    public var format = ""
    /// Entries read from the archive.
    public var entries = 0
    /// Entries written: files, folders, links.
    public var done = 0
    /// Entries already complete in the destination (a rerun), left alone.
    public var skipped = 0
    /// Refused plus unwritable entries.
    public var failed = 0
    /// Unsafe entries not written, with the reason (absolute path, `..`, link outside, device...).
    public var refused: [Problem] = []
    /// Entries that could not be written or read, with the reason.
    public var failures: [Problem] = []
    /// Things changed on the way in (e.g. setuid bits dropped).
    public var warnings: [Problem] = []
    /// Bytes of file data written (the total `--max-size` limits).
    public var bytesWritten: Int64 = 0
    /// Bytes of the archive file read.
    public var archiveBytes: Int64 = 0
    public var seconds = 0.0
    /// Archive bytes read per second, in MB (10^6 bytes).
    public var megabytesPerSecond = 0.0
    /// The error that ended the run early (damaged archive, size limit, disk full), if any.
    public var stoppedBy: String?
    /// True when `--strict` stopped the run at the first failure.
    public var stoppedAtFirstFailure = false
    public var verification: Verification?
    /// The dataset layout found in the destination after unpacking.
    public var dataset: RecognizedDataset?

    public init(archive: String, destination: String) {
        self.archive = archive
        self.destination = destination
    }

    /// True when every entry was written or already there, the archive was read to its end, and
    /// the digest (if any) matched.
    public var succeeded: Bool {
        failed == 0 && stoppedBy == nil && !stoppedAtFirstFailure && verification?.matches != false
    }

    /// One line for humans: `unpack: 2020 done, 1 refused in 0.4 s (230 MB/s, 92 MB written)`.
    public var line: String {
        var parts = ["\(done) done"]
        if skipped > 0 { parts.append("\(skipped) skipped (already there)") }
        if !refused.isEmpty { parts.append("\(refused.count) refused (unsafe)") }
        if !failures.isEmpty { parts.append("\(failures.count) failed") }
        if !warnings.isEmpty { parts.append("\(warnings.count) warning\(warnings.count == 1 ? "" : "s")") }
        if stoppedBy != nil || stoppedAtFirstFailure { parts.append("stopped early") }
        let speed = String(format: " (%.0f MB/s, %@ written)", megabytesPerSecond, ByteCount.format(bytesWritten))
        return "unpack: " + parts.joined(separator: ", ") + String(format: " in %.1f s", seconds) + speed
    }
}
