import Foundation
import Synchronization

/// Runs an `EntryWriter` on its own thread, fed through a bounded queue, so file-system work
/// (creating, writing, renaming files) overlaps reading and decompressing the archive, as GNU tar
/// overlaps its gzip child. Commands are applied strictly in archive order.
final class BackgroundWriter: @unchecked Sendable {
    private let writer: EntryWriter
    private let strict: Bool
    private let queue: BoundedQueue<WriteCommand>
    private let finished = DispatchSemaphore(value: 0)
    private let stopRequested = Atomic<Bool>(false)
    // Written by the writer thread only; read after `finish()` joined it.
    private var fatal: UnpackError?
    private var stoppedAtFailure = false
    private var forgetWrittenFiles = false

    /// `queueBytes` bounds the data waiting between the threads.
    init(writer: EntryWriter, strict: Bool, queueBytes: Int = 16 << 20) {
        self.writer = writer
        self.strict = strict
        self.queue = BoundedQueue(limit: queueBytes)
        let thread = Thread { [self] in
            work()
            finished.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// True once the writer wants no more commands: a fatal error, or a failure under `strict`.
    var shouldStop: Bool { stopRequested.load(ordering: .relaxed) }

    /// Queues one command (waits while the queue is full).
    func send(_ command: WriteCommand) {
        let cost: Int
        if case .data(let bytes, _) = command { cost = bytes.count } else { cost = 512 }
        queue.push(command, cost: cost)
    }

    /// Ends the input, waits for the writer, and returns its summary and the error that stopped
    /// it, if any.
    /// `forgetWrittenFiles`: the journal must not vouch for the files this run wrote (the
    /// archive turned out damaged or not the one expected).
    func finish(forgetWrittenFiles: Bool = false) -> (summary: UnpackSummary, fatal: UnpackError?, stoppedAtFailure: Bool) {
        // Set before the queue closes; the writer thread reads it after it has seen the close.
        self.forgetWrittenFiles = forgetWrittenFiles
        queue.close()
        finished.wait()
        return (writer.summary, fatal, stoppedAtFailure)
    }

    private func work() {
        var batch: [WriteCommand] = []
        while queue.popAll(into: &batch) {
            for command in batch where !shouldStop {
                do {
                    try writer.apply(command)
                } catch {
                    fatal = error
                    stop()
                }
                if strict && writer.summary.failed > 0 && !shouldStop {
                    stoppedAtFailure = true
                    stop()
                }
            }
        }
        writer.discardOpenFile()
        writer.finishJournal(forgetWrittenFiles: forgetWrittenFiles)
    }

    private func stop() {
        writer.discardOpenFile()
        stopRequested.store(true, ordering: .relaxed)
    }
}
