import Foundation

/// A file fetched over HTTP(S) into `destination`, resumable and atomic.
///
/// The bytes go to `<destination>.part` in the same folder. An existing `.part` (a run that was
/// cut off) is continued with `Range: bytes=N-`; a server that answers 200 instead of 206 is
/// read from the start, and one that answers 416 is asked again for the whole file. The
/// complete file is checked against `expectedDigest`, then renamed to `destination`: nothing
/// appears under the final name before its digest is known to be right. A mismatch deletes the
/// `.part` (it must not be resumed) and throws `.digestMismatch`.
///
/// Memory stays small whatever the file's size: bytes are written as they arrive, and the
/// digest is taken by reading the finished file back (mostly from the page cache).
public struct FileDownload: Sendable {
    public var url: URL
    /// The final path; its folder must exist.
    public var destination: String
    /// The digest the file must have; nil accepts any complete file.
    public var expectedDigest: ArchiveDigest?
    public var settings: DownloadSettings

    public init(url: URL, destination: String, expectedDigest: ArchiveDigest?, settings: DownloadSettings = DownloadSettings()) {
        self.url = url
        self.destination = destination
        self.expectedDigest = expectedDigest
        self.settings = settings
    }

    /// Where the bytes go until they are verified.
    public var partialPath: String { destination + ".part" }

    /// What a finished download did.
    public struct Result: Sendable, Equatable {
        public var path: String
        public var bytes: Int64
        /// Bytes kept from an interrupted earlier run.
        public var resumedFrom: Int64
        /// The digest that was checked (lowercase hex), nil when none was expected.
        public var digest: String?
    }

    /// Downloads (or finishes downloading) the file. `progress` is called from a background
    /// thread as bytes arrive. Blocks until done; call it off the main actor.
    @discardableResult
    public func run(progress: (@Sendable (DownloadProgress) -> Void)? = nil) throws(DownloadError) -> Result {
        let address = url.absoluteString
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .badResponse(url: address, reason: "only http and https addresses can be downloaded")
        }
        let part = try PartFile(path: partialPath)
        do {
            return try fetch(into: part, progress: progress)
        } catch {
            // An empty .part holds nothing to resume: leave no litter after, say, a 404.
            if part.size == 0 { part.remove() } else { part.close() }
            throw error
        }
    }

    private func fetch(into part: PartFile, progress: (@Sendable (DownloadProgress) -> Void)?) throws(DownloadError) -> Result {
        let address = url.absoluteString
        // Tries: the request as planned, then once more from byte 0 when the server refused the
        // range or a resumed file proved wrong (the kept bytes may be of an older file).
        var restarts = 0
        while true {
            let transfer = DownloadTransfer(url: url, part: part, settings: settings, progress: progress)
            switch transfer.run() {
            case .failed(let error):
                throw error
            case .restartFromScratch:
                guard restarts == 0 else {
                    throw .badResponse(url: address, reason: "the server does not answer range requests consistently")
                }
                restarts += 1
                do { try part.truncate() } catch { throw .file(error) }
            case .complete(let total):
                if let total, part.size < total {
                    throw .interrupted(url: address, kind: .connectionLost,
                                       reason: "the connection closed after \(part.size) of \(total) bytes")
                }
                var actual: String? = nil
                if let expectedDigest {
                    let hex: String
                    do { hex = try part.digest(expectedDigest.algorithm) } catch { throw .file(error) }
                    if hex != expectedDigest.hex {
                        if transfer.keptBytes > 0 && restarts == 0 {
                            restarts += 1
                            do { try part.truncate() } catch { throw .file(error) }
                            continue
                        }
                        part.remove()
                        throw .digestMismatch(url: address, algorithm: expectedDigest.algorithm,
                                              expected: expectedDigest.hex, actual: hex)
                    }
                    actual = hex
                }
                let size = part.size
                do { try part.commit(to: destination) } catch { throw .file(error) }
                return Result(path: destination, bytes: size, resumedFrom: transfer.keptBytes, digest: actual)
            }
        }
    }
}
