import DatasetKit
import Foundation

/// The samples of a split's WebDataset tars, handed out by row index to several threads.
///
/// A tar can only be read front to back, so the first thread that asks for a row reads up to
/// it, keeping the wanted samples it passes for the threads that claimed them. The threads
/// claim rows in order within a window (`ParallelRunner.forEachInOrder`), so what is kept is
/// bounded by that window.
final class WebDatasetCursor: @unchecked Sendable {
    private let lock = NSLock()
    private let tars: [(path: String, rows: Int)]
    private let classes: Int
    private let multiHot: Bool
    private let wanted: Set<Int>
    private let maxImageBytes: Int
    private var shard = -1
    private var reader: WebDatasetReader?
    /// Samples read from the current tar, and the split row of the next one.
    private var readInShard = 0
    private var nextRow = 0
    private var kept: [Int: WebDatasetReader.Sample] = [:]
    private var fatal: RowFailure?

    init(tars: [(path: String, rows: Int)], classes: Int, multiHot: Bool, wanted: Set<Int>, maxImageBytes: Int) {
        self.tars = tars
        self.classes = classes
        self.multiHot = multiHot
        self.wanted = wanted
        self.maxImageBytes = maxImageBytes
    }

    func sample(_ row: Int) -> Result<WebDatasetReader.Sample, RowFailure> {
        lock.lock()
        defer { lock.unlock() }
        if let sample = kept.removeValue(forKey: row) { return .success(sample) }
        if let fatal { return .failure(fatal) }
        guard row >= nextRow else { return .failure(RowFailure(reason: "row \(row) was read past (internal error)", fatal: true)) }
        do {
            while nextRow <= row {
                let sample = try readNext()
                if nextRow == row { nextRow += 1; return .success(sample) }
                if wanted.contains(nextRow) { kept[nextRow] = sample }
                nextRow += 1
            }
        } catch {
            fatal = error
            return .failure(error)
        }
        return .failure(RowFailure(reason: "row \(row) was not found (internal error)", fatal: true))
    }

    /// The next sample of the split, moving to the next tar when one is done; each tar must hold
    /// the rows the manifest gives it.
    private func readNext() throws(RowFailure) -> WebDatasetReader.Sample {
        while true {
            if let reader, readInShard < tars[shard].rows {
                do {
                    guard let sample = try reader.next() else {
                        throw RowFailure(reason: "\(reader.path): ends after \(readInShard) samples; the manifest says \(tars[shard].rows)", fatal: true)
                    }
                    readInShard += 1
                    return sample
                } catch let error as RowFailure {
                    throw error
                } catch {
                    throw RowFailure(reason: "\(error)", fatal: true)
                }
            }
            if let reader {
                do {
                    if let extra = try reader.next() {
                        throw RowFailure(reason: "\(reader.path): holds more samples than the \(tars[shard].rows) the manifest says (sample '\(extra.key)')", fatal: true)
                    }
                } catch let error as RowFailure {
                    throw error
                } catch {
                    throw RowFailure(reason: "\(error)", fatal: true)
                }
            }
            shard += 1
            guard shard < tars.count else { throw RowFailure(reason: "the split's tars hold fewer rows than the manifest says", fatal: true) }
            do {
                reader = try WebDatasetReader(path: tars[shard].path, classes: classes, multiHot: multiHot, maxImageBytes: maxImageBytes)
            } catch {
                throw RowFailure(reason: error.description, fatal: true)
            }
            readInShard = 0
        }
    }
}
