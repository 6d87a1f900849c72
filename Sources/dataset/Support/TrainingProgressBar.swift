import DatasetKit
import Foundation
import NeuralKit

/// The per-epoch progress display of `train` on stderr: a redrawn bar (batches, loss, accuracy,
/// images/s, ETA) on a terminal, a line every 30 s otherwise; a summary line per epoch.
final class TrainingProgressBar {
    enum Style { case terminal, lines, quiet }

    private let style: Style
    private var lastDraw = Date()
    private var drawn = false

    init(style: Style? = nil) {
        self.style = style ?? (isatty(STDERR_FILENO) != 0 ? .terminal : .lines)
    }

    func batch(_ p: BatchProgress) {
        let now = Date()
        let interval: TimeInterval = style == .terminal ? 0.2 : 30
        guard style != .quiet, now.timeIntervalSince(lastDraw) >= interval || (style == .terminal && p.batch == p.batches) else { return }
        lastDraw = now
        let eta = p.elapsed / Double(p.batch) * Double(p.batches - p.batch)
        let stats = "\(p.batch)/\(p.batches) loss \(Self.number(p.loss)) accuracy \(Self.number(p.accuracy)) "
            + "\(String(format: "%.1f", p.imagesPerSecond)) img/s ETA \(Self.clock(eta))"
        if style == .terminal {
            let width = 24, filled = width * p.batch / max(p.batches, 1)
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r\u{1B}[Kepoch \(p.epoch)/\(p.epochs) [\(bar)] \(stats)")
            drawn = true
        } else {
            write("epoch \(p.epoch)/\(p.epochs): \(stats)\n")
        }
    }

    func epoch(_ record: EpochRecord) {
        guard style != .quiet else { return }
        clearBar()
        write("epoch \(record.epoch): \(Self.figures(record)) (\(String(format: "%.1f", record.seconds)) s, "
            + "\(String(format: "%.1f", record.imagesPerSecond)) img/s)\n")
        // A terminal shows the next epoch's bar at once; logs wait for the next 30 s.
        lastDraw = style == .terminal ? .distantPast : Date()
    }

    func note(_ text: String) {
        guard style != .quiet else { return }
        clearBar()
        write(text + "\n")
    }

    /// Printed even with `--quiet`: a warning is about the result, not the progress.
    func warning(_ text: String) {
        clearBar()
        write("warning: " + text + "\n")
    }

    func finish() { clearBar() }

    /// "loss 0.4213 accuracy 0.8750 val_loss 0.5120 val_accuracy 0.8125", Keras' names.
    static func figures(_ r: EpochRecord) -> String {
        var text = "loss \(number(r.loss)) accuracy \(number(r.accuracy))"
        if let loss = r.validationLoss, let accuracy = r.validationAccuracy {
            text += " val_loss \(number(loss)) val_accuracy \(number(accuracy))"
        }
        return text
    }

    /// Four decimals; NaN and infinities spelled out, so a broken run never looks finite.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : value < 0 ? "-inf" : "inf" }
        return String(format: "%.4f", value)
    }

    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func clearBar() {
        if drawn { write("\r\u{1B}[K") }
        drawn = false
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
