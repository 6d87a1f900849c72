import DatasetKit
import Foundation
import NeuralKit

/// What the weights resolver is doing, on stderr: a note per event, a byte progress bar while downloading.
final class WeightsDownloadDisplay: @unchecked Sendable {
    private let quiet: Bool
    private let lock = NSLock()
    private var bar: ProgressReporter?

    init(quiet: Bool) { self.quiet = quiet }

    func show(_ event: WeightsEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .skipped(let path, let reason): ReportLines.write("warning: weights: \(path) passed over: \(reason)")
        case .verifying(let path): if !quiet { ReportLines.write("weights: checking \(path) (once)") }
        case .downloading(let url, let destination): if !quiet { ReportLines.write("weights: downloading \(url) to \(destination)") }
        case .progress(let progress):
            if bar == nil, let total = progress.total, !quiet {
                bar = ProgressReporter(label: "weights", total: Int(total), measure: .bytes)
            }
            bar?.update(completed: Int(progress.completed))
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        bar?.finish()
    }
}
