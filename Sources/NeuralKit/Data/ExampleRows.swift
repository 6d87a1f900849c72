import DatasetKit

/// The bytes of a dataset's examples, one fixed-size row per example: in memory, or in the
/// memory-mapped `.npy` shards `pack` wrote (read from the page cache on demand, so a dataset
/// larger than memory trains).
public protocol ExampleRows: Sendable {
    var count: Int { get }
    /// Bytes per row.
    var rowByteCount: Int { get }
    /// The bytes of row `index` (valid while the rows live).
    func row(_ index: Int) -> UnsafeRawBufferPointer
}

/// Rows held in an array (tests, small feature sets).
public final class ArrayRows: ExampleRows, @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    public let count: Int
    public let rowByteCount: Int

    public init(_ bytes: [UInt8], rowByteCount: Int) {
        precondition(rowByteCount > 0 && bytes.count % rowByteCount == 0, "\(bytes.count) bytes are not rows of \(rowByteCount)")
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 64)
        storage.copyBytes(from: bytes)
        count = bytes.count / rowByteCount
        self.rowByteCount = rowByteCount
    }

    /// Float rows (feature vectors), stored as little-endian float32.
    public convenience init(floats: [Float], rowLength: Int) {
        let bytes = floats.withUnsafeBytes { Array($0) }
        self.init(bytes, rowByteCount: rowLength * 4)
    }

    deinit { storage.deallocate() }

    public func row(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[(index * rowByteCount)..<((index + 1) * rowByteCount)])
    }
}

/// The rows of several `.npy` files of one row shape, end to end (a split's shards).
public final class ShardRows: ExampleRows, @unchecked Sendable {
    private let readers: [NPYReader]
    /// Index of each reader's first row.
    private let starts: [Int]
    public let count: Int
    public let rowByteCount: Int

    /// The readers' rows end to end; they must share one row size. Row indices are checked
    /// once here (the total fits in `Int`), so `row` need not check them again.
    public init(_ readers: [NPYReader]) throws(DataError) {
        guard let first = readers.first else { throw .missing("no shards to read") }
        var starts: [Int] = [], total = 0
        for reader in readers {
            guard reader.rowByteCount == first.rowByteCount else {
                throw .mismatch("\(reader.path) has rows of \(reader.rowByteCount) bytes, \(first.path) of \(first.rowByteCount)")
            }
            starts.append(total)
            guard let next = CheckedSize.sum(total, reader.rowCount) else { throw .mismatch("\(reader.path): too many rows") }
            total = next
        }
        self.readers = readers
        self.starts = starts
        count = total
        rowByteCount = first.rowByteCount
    }

    public func row(_ index: Int) -> UnsafeRawBufferPointer {
        // Binary search for the last shard starting at or before `index`.
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return readers[low].row(index - starts[low])
    }
}
