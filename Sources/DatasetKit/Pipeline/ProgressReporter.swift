import Foundation
import Synchronization

/// Progress on stderr: a redrawn bar (count, rate, ETA) when stderr is a terminal, a plain line
/// every few seconds otherwise (logs, CI), nothing when quiet.
public final class ProgressReporter: Sendable {
    public enum Style: Sendable { case terminal, lines, quiet }

    private let label: String
    private let total: Int
    private let style: Style
    private let finished = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let start = Date()

    /// Starts reporting `total` items under `label`; `style` nil picks by whether stderr is a TTY.
    public init(label: String, total: Int, style: Style? = nil) {
        self.label = label
        self.total = total
        self.style = style ?? (isatty(STDERR_FILENO) != 0 ? .terminal : .lines)
        guard self.style != .quiet else { return }
        let interval: TimeInterval = self.style == .terminal ? 0.2 : 5
        let thread = Thread { [self] in
            var last = Date()
            while running.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.05)
                if Date().timeIntervalSince(last) >= interval {
                    last = Date()
                    draw(final: false)
                }
            }
        }
        thread.start()
    }

    /// Counts one finished item.
    public func record(_ outcome: ItemOutcome) {
        finished.add(1, ordering: .relaxed)
        if case .failed = outcome { failures.add(1, ordering: .relaxed) }
    }

    /// Stops the display (clearing the bar on a terminal).
    public func finish() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        if style == .terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func draw(final: Bool) {
        let done = finished.load(ordering: .relaxed)
        let failed = failures.load(ordering: .relaxed)
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let percent = total > 0 ? done * 100 / total : 100
        let failedText = failed > 0 ? ", \(failed) failed" : ""
        let stats = "\(done)/\(total) \(percent)% \(Int(rate))/s ETA \(Self.clock(eta))\(failedText)"
        switch style {
        case .terminal:
            let width = 24, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) [\(bar)] \(stats)".utf8))
        case .lines:
            FileHandle.standardError.write(Data("\(label): \(stats)\n".utf8))
        case .quiet:
            break
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
