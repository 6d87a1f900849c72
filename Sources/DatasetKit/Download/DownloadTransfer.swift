import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET of a `FileDownload`, streamed into its partial file as the bytes arrive.
///
/// URLSession's data-task delegate is used rather than `bytes(for:)` (absent from Linux
/// Foundation) or a download task (which writes its own temporary file and cannot resume one
/// of ours). Only writing happens here, no hashing: Linux Foundation queues received data for
/// the delegate without limit, so a consumer slower than the network (MD5 runs at about the
/// speed of a fast link; measured on loopback, hashing here let 95 MB pile up in a 200 MB
/// download, writing alone none) would let memory grow.
///
/// Every delegate call runs on one serial queue, and the caller reads the state only after the
/// task has completed (the semaphore orders the two): hence `@unchecked Sendable`.
final class DownloadTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    enum Outcome {
        /// Every byte arrived; `total` is the announced size, if any.
        case complete(total: Int64?)
        /// The server refused or mangled the range: start over from byte 0.
        case restartFromScratch
        case failed(DownloadError)
    }

    private let url: URL
    private let part: PartFile
    private let settings: DownloadSettings
    private let progress: (@Sendable (DownloadProgress) -> Void)?
    private let requestedFrom: Int64
    private let finished = DispatchSemaphore(value: 0)

    private var outcome: Outcome?
    private var total: Int64?
    private var resumedFrom: Int64 = 0
    private var responded = false

    /// A request for the bytes after those already in `part` (all of them when it is empty).
    init(url: URL, part: PartFile, settings: DownloadSettings, progress: (@Sendable (DownloadProgress) -> Void)?) {
        self.url = url
        self.part = part
        self.settings = settings
        self.progress = progress
        requestedFrom = part.size
    }

    /// Bytes kept from before this request (valid after `run`).
    var keptBytes: Int64 { resumedFrom }

    /// Performs the request and waits for it to end.
    func run() -> Outcome {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = settings.idleTimeout
        configuration.timeoutIntervalForResource = settings.totalTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: settings.idleTimeout)
        request.setValue(settings.userAgent, forHTTPHeaderField: "User-Agent")
        // The bytes on disk must be the file's own: a transparently decompressed body would
        // not match the announced length, nor could a range of it be resumed.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if requestedFrom > 0 { request.setValue("bytes=\(requestedFrom)-", forHTTPHeaderField: "Range") }
        let task = session.dataTask(with: request)
        task.resume()
        // The overall limit is kept here rather than trusted to timeoutIntervalForResource.
        if finished.wait(timeout: .now() + settings.totalTimeout) == .timedOut {
            let limit = Int(settings.totalTimeout)
            queue.addOperation { [self] in
                if outcome == nil {
                    outcome = .failed(.interrupted(url: url.absoluteString, kind: .timedOut,
                                                   reason: "the download took longer than \(limit) s"))
                }
                task.cancel()
            }
            finished.wait()
        }
        // The session holds its delegate until invalidated.
        session.finishTasksAndInvalidate()
        return outcome ?? .failed(.badResponse(url: url.absoluteString, reason: "the transfer ended without an answer"))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        responded = true
        if let failure = accept(response) {
            outcome = failure
            completionHandler(.cancel)
            // Linux Foundation ignores the disposition: without this the unwanted body would still flow.
            dataTask.cancel()
        } else {
            completionHandler(.allow)
        }
    }

    /// Checks the status and headers and prepares the partial file; nil to go on.
    private func accept(_ response: URLResponse) -> Outcome? {
        let address = url.absoluteString
        guard let http = response as? HTTPURLResponse else {
            return .failed(.badResponse(url: address, reason: "not an HTTP answer"))
        }
        do throws(FileError) {
            switch http.statusCode {
            case 200:
                // A server that ignores ranges sends the whole file: drop the kept bytes.
                if part.size > 0 { try part.truncate() }
                total = http.expectedContentLength >= 0 ? http.expectedContentLength : nil
            case 206:
                guard requestedFrom > 0, part.size == requestedFrom,
                      let header = http.value(forHTTPHeaderField: "Content-Range"),
                      let range = ContentRange(header), range.first == requestedFrom else {
                    return .restartFromScratch
                }
                total = range.total
                resumedFrom = requestedFrom
            case 416 where requestedFrom > 0:
                // The kept bytes reach past the file's end: it changed, or they are not its own.
                return .restartFromScratch
            default:
                return .failed(.httpStatus(url: address, status: http.statusCode))
            }
            if let total, total > settings.maxBytes {
                return .failed(.badResponse(url: address, reason: "the server announces \(total) bytes, over the limit of \(settings.maxBytes)"))
            }
        } catch {
            return .failed(.file(error))
        }
        report()
        return nil
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard outcome == nil else { return }
        let after = part.size + Int64(data.count)
        if after > (total ?? settings.maxBytes) {
            let reason = total == nil ? "the server sent more than the limit of \(settings.maxBytes) bytes"
                : "the server sent more than the \(total!) bytes it announced"
            outcome = .failed(.badResponse(url: url.absoluteString, reason: reason))
            dataTask.cancel()
            return
        }
        // Data's withUnsafeBytes is untyped-rethrows: carry the typed error out as a Result.
        let written = data.withUnsafeBytes { raw in
            Result { () throws(FileError) in try part.append(raw) }
        }
        if case .failure(let error) = written {
            outcome = .failed(.file(error))
            dataTask.cancel()
            return
        }
        report()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if outcome == nil {
            if let error {
                var failure = Self.interruption(error, url: url.absoluteString)
                // Once the answer has begun, a break is a lost connection whatever code Foundation
                // gives it (on Linux a short body arrives as URLError.unknown, curl's PARTIAL_FILE).
                if responded, case .interrupted(let address, let kind, _) = failure, kind != .timedOut {
                    let of = total.map { " of \($0)" } ?? ""
                    failure = .interrupted(url: address, kind: .connectionLost,
                                           reason: "the connection broke after \(part.size)\(of) bytes")
                }
                outcome = .failed(failure)
            } else if !responded {
                outcome = .failed(.badResponse(url: url.absoluteString, reason: "no answer"))
            } else {
                outcome = .complete(total: total)
            }
        }
        finished.signal()
    }

    private func report() {
        progress?(DownloadProgress(completed: part.size, total: total, resumedFrom: resumedFrom))
    }

    /// Sorts a network-layer failure into what it means for the user.
    static func interruption(_ error: Error, url: String) -> DownloadError {
        guard let urlError = error as? URLError else {
            return .interrupted(url: url, kind: .other, reason: String(describing: error))
        }
        let code = urlError.code
        let kind: DownloadError.Interruption
        let reason: String
        switch code {
        case .cannotFindHost, .dnsLookupFailed:
            (kind, reason) = (.unreachable, "the host name does not resolve")
        case .cannotConnectToHost:
            (kind, reason) = (.unreachable, "could not connect to the server")
        case .notConnectedToInternet:
            (kind, reason) = (.unreachable, "not connected to a network")
        case .timedOut:
            (kind, reason) = (.timedOut, "no data for longer than the timeout")
        case .networkConnectionLost:
            (kind, reason) = (.connectionLost, "the connection was lost")
        default:
            (kind, reason) = (.other, "network error \(code.rawValue)")
        }
        return .interrupted(url: url, kind: kind, reason: reason)
    }
}
