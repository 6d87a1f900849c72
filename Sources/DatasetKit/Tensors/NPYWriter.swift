/// Writes one `.npy` array row by row (the first axis), streaming, atomically, hashed.
///
/// The header is written first with the row count the caller expects; if a different number
/// of rows arrives (a file failed to decode), `finish()` rewrites the header in place, which
/// never moves the data because the header reserves room for the row count (see `NPYHeader`).
/// The SHA-256 is taken while writing; only after such a rewrite is the file read once more.
public final class NPYWriter {
    public let path: String
    public let dtype: NPYDType
    /// The shape of one row (`[128, 128, 3]` for images, `[]` for scalar labels).
    public let rowShape: [Int]
    public private(set) var rowCount = 0

    private let expectedRows: Int
    private let rowBytes: Int
    private let output: AtomicFileOutput

    /// Starts the file; nothing appears at `path` until `finish()`.
    public init(path: String, dtype: NPYDType, rowShape: [Int], expectedRows: Int) throws(NPYError) {
        self.path = path
        self.dtype = dtype
        self.rowShape = rowShape
        self.expectedRows = expectedRows
        rowBytes = rowShape.reduce(1, *) * dtype.size
        do {
            output = try AtomicFileOutput(path: path)
            try output.write(NPYHeader(dtype: dtype, shape: [expectedRows] + rowShape).encoded)
        } catch {
            throw .file(error)
        }
    }

    /// Appends one row: exactly `rowShape` elements of `dtype`, little-endian.
    public func append(_ row: UnsafeRawBufferPointer) throws(NPYError) {
        guard row.count == rowBytes else {
            throw .shapeMismatch("\(path): a row of \(row.count) bytes, expected \(rowBytes) (\(rowShape) of \(dtype.name))")
        }
        do { try output.write(row) } catch { throw .file(error) }
        rowCount += 1
    }

    public func append(_ row: [UInt8]) throws(NPYError) {
        let result = row.withUnsafeBytes { raw in Result { () throws(NPYError) in try append(raw) } }
        try result.get()
    }

    /// Appends whole rows at once (a shard's labels, gathered while its images streamed).
    public func append(rows bytes: [UInt8]) throws(NPYError) {
        guard rowBytes > 0, bytes.count % rowBytes == 0 else {
            throw .shapeMismatch("\(path): \(bytes.count) bytes are not whole rows of \(rowBytes) bytes")
        }
        do { try output.write(bytes) } catch { throw .file(error) }
        rowCount += bytes.count / rowBytes
    }

    /// Fixes the header if needed, renames the file into place; returns its SHA-256 and size.
    public func finish() throws(NPYError) -> (sha256: String, bytes: Int) {
        do {
            if rowCount != expectedRows {
                try output.overwrite(at: 0, with: NPYHeader(dtype: dtype, shape: [rowCount] + rowShape).encoded)
            }
            let bytes = output.byteCount
            return (try output.finish(), bytes)
        } catch {
            throw .file(error)
        }
    }

    /// Gives up; nothing appears at `path`.
    public func cancel() { output.cancel() }
}
