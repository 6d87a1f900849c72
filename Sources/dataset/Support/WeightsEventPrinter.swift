import DatasetKit
import Foundation
import NeuralKit
import Synchronization

/// Shows on stderr what `WeightsResolver` does for `--weights imagenet`: files passed over,
/// hashing, and a download with its progress (a line redrawn in place on a terminal, otherwise
/// a line every 5 seconds), then where the weights came from.
final class WeightsEventPrinter: Sendable {
    private struct State {
        var lastDraw = Date.distantPast
        var barShown = false
        var downloaded: Int64 = 0
    }

    private let terminal: Bool
    private let state = Mutex(State())

    init(terminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.terminal = terminal
    }

    /// The resolver's callback.
    var events: WeightsResolver.Events { { [self] event in handle(event) } }

    func handle(_ event: WeightsEvent) {
        switch event {
        case .skipped(let path, let reason):
            clearBar()
            ReportLines.write("warning: passing over \(path): \(reason)")
        case .verifying(let path):
            clearBar()
            ReportLines.write("verifying \(path) against the hash Keras publishes")
        case .downloading(let url, let destination):
            clearBar()
            ReportLines.write("downloading \(url) to \(destination)")
        case .progress(let progress):
            draw(progress)
        }
    }

    /// Says which file is used, and how it was obtained.
    func finish(_ resolved: ResolvedWeights) {
        clearBar()
        let check = resolved.verified ? "hash verified" : "no published hash to check"
        switch resolved.source {
        case .downloaded:
            let size = state.withLock { $0.downloaded }
            ReportLines.write("downloaded \(resolved.path) (\(ByteCount.format(size)), \(check))")
        case .found:
            ReportLines.write("using \(resolved.path) (\(check))")
        case .given:
            break
        }
    }

    private func draw(_ progress: DownloadProgress) {
        let now = Date()
        let line: String? = state.withLock { state in
            state.downloaded = progress.completed
            let finished = progress.total == progress.completed
            guard finished || now.timeIntervalSince(state.lastDraw) >= (terminal ? 0.2 : 5) else { return nil }
            state.lastDraw = now
            state.barShown = terminal
            var text = "download: \(ByteCount.format(progress.completed))"
            if let total = progress.total, total > 0 {
                text += "/\(ByteCount.format(total)) \(progress.completed * 100 / total)%"
            }
            return text
        }
        guard let line else { return }
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(printableName(line))".utf8))
        } else {
            ReportLines.write(line)
        }
    }

    private func clearBar() {
        let shown = state.withLock { state in
            defer { state.barShown = false }
            return state.barShown
        }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
