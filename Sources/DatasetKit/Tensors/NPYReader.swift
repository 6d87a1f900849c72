#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `.npy` file mapped into memory (read-only), as `numpy.load(..., mmap_mode="r")` does:
/// rows are read from the page cache on demand, so a shard larger than memory can be used.
public final class NPYReader: @unchecked Sendable {
    public let path: String
    public let header: NPYHeader
    private let base: UnsafeRawPointer
    private let mappedLength: Int
    private let dataOffset: Int
    /// Bytes of one row (all axes but the first).
    public let rowByteCount: Int
    private let dataByteCount: Int

    public init(path: String) throws(NPYError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .file(.fromErrno("open", path)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .file(.fromErrno("stat", path)) }
        let length = Int(info.st_size)
        guard length > 0, let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw length == 0 ? .notNPY("\(path) is empty") : .file(.fromErrno("map", path))
        }
        base = UnsafeRawPointer(mapped)
        mappedLength = length
        do {
            (header, dataOffset) = try NPYHeader.parse(UnsafeRawBufferPointer(start: base, count: length))
        } catch {
            munmap(mapped, length)
            throw error.naming(path)
        }
        // `parse` checked that the shape's sizes fit in Int; here the data must fit in the file.
        guard let counts = header.byteCounts, CheckedSize.range(offset: dataOffset, count: counts.total, within: length) else {
            munmap(mapped, length)
            throw .shapeMismatch("\(path): the header promises \(header.dataByteCount) bytes of data, the file holds \(length - dataOffset)")
        }
        (rowByteCount, dataByteCount) = counts
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), mappedLength) }

    public var dtype: NPYDType { header.dtype }
    public var shape: [Int] { header.shape }
    public var rowCount: Int { header.shape.first ?? 1 }

    /// The raw bytes of the whole array.
    public var data: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + dataOffset, count: dataByteCount) }

    /// The raw bytes of row `index`. Callers check their row indices against `rowCount` once,
    /// when they open the file (`ShardRows`, `ExampleSet`); the precondition is not checked in
    /// an unchecked build.
    public func row(_ index: Int) -> UnsafeRawBufferPointer {
        precondition((0..<rowCount).contains(index), "row \(index) is outside 0..<\(rowCount)")
        return UnsafeRawBufferPointer(rebasing: data[(index * rowByteCount)..<((index + 1) * rowByteCount)])
    }

    /// Every element as UInt8 (dtype uint8).
    public func uint8Values() -> [UInt8] {
        precondition(dtype == .uint8, "\(path) holds \(dtype.name), not uint8")
        return Array(data)
    }

    /// Every element as Int64 (dtype int64, little-endian).
    public func int64Values() -> [Int64] {
        precondition(dtype == .int64, "\(path) holds \(dtype.name), not int64")
        return (0..<(data.count / 8)).map { Int64(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
    }

    /// The first row (0-based) holding a NaN or an infinity, or nil when every value is finite
    /// or the array is not float32.
    public func firstNonFiniteRow() -> Int? {
        guard dtype == .float32, rowByteCount > 0 else { return nil }
        let words = rowByteCount / 4
        for row in 0..<rowCount {
            let base = row * rowByteCount
            // An exponent of all ones (NaN or infinity) plus one carries into the sign bit; no
            // other does. Without a branch per value the loop vectorises (400 MB of features took
            // 0.3 s here, page faults included, against about 1 s with a branch per value).
            var carry: UInt32 = 0
            for i in 0..<words {
                let bits = UInt32(littleEndian: data.loadUnaligned(fromByteOffset: base + i * 4, as: UInt32.self))
                carry |= (bits & 0x7F80_0000) &+ 0x0080_0000
            }
            if carry & 0x8000_0000 != 0 { return row }
        }
        return nil
    }

    /// Every element as Float (dtype float32, little-endian).
    public func float32Values() -> [Float] {
        precondition(dtype == .float32, "\(path) holds \(dtype.name), not float32")
        return (0..<(data.count / 4)).map {
            Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
        }
    }
}
