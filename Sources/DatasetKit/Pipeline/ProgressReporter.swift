import Foundation
import Synchronization

/// Progress on stderr: a redrawn bar (count, rate, ETA) when stderr is a terminal, a plain line
/// every few seconds otherwise (logs, CI), nothing when quiet.
///
/// It measures items (`record` per finished item) or bytes (`update(completed:)` with the bytes
/// done so far, e.g. of an archive being read; `record` then counts items beside them).
public final class ProgressReporter: Sendable {
    public enum Style: Sendable { case terminal, lines, quiet }
    /// What `total` counts.
    public enum Measure: Sendable { case items, bytes }

    private let label: String
    private let total: Int
    private let style: Style
    private let measure: Measure
    private let finished = Atomic<Int>(0)
    private let items = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let start = Date()

    /// Starts reporting `total` items under `label`; `style` nil picks by whether stderr is a TTY.
    public convenience init(label: String, total: Int, style: Style? = nil) {
        self.init(label: label, total: total, measure: .items, style: style)
    }

    /// Starts reporting `total` items or bytes under `label`.
    public init(label: String, total: Int, measure: Measure, style: Style? = nil) {
        self.label = label
        self.total = total
        self.measure = measure
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
        if measure == .items { finished.add(1, ordering: .relaxed) } else { items.add(1, ordering: .relaxed) }
        if case .failed = outcome { failures.add(1, ordering: .relaxed) }
    }

    /// Sets how much is done, in bytes (for `measure: .bytes`).
    public func update(completed: Int) {
        finished.store(completed, ordering: .relaxed)
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
        let stats: String
        switch measure {
        case .items:
            stats = "\(done)/\(total) \(percent)% \(Int(rate))/s ETA \(Self.clock(eta))\(failedText)"
        case .bytes:
            let count = items.load(ordering: .relaxed)
            stats = "\(ByteCount.format(Int64(done)))/\(ByteCount.format(Int64(total))) \(percent)% "
                + "\(ByteCount.format(Int64(rate)))/s ETA \(Self.clock(eta)), \(count) entries\(failedText)"
        }
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
