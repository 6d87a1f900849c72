import Foundation

/// A safetensors file on disk (timm's and Hugging Face's `model.safetensors`), read tensor by
/// tensor: opening it reads and checks only the header (as `SafeTensors.contents` checks a
/// whole file), and `values(_:)` reads one tensor's bytes when asked. A backbone without its
/// top therefore never reads the 400 MB of VGG16's classifier, and no more than one tensor's
/// bytes are held beside the values made from them.
///
/// ```swift
/// let file = try SafeTensorsFile(path: "model.safetensors")
/// let kernel = try file.values("conv1.weight")   // OIHW, as PyTorch stores it
/// ```
public final class SafeTensorsFile: Sendable {
    /// The file as given.
    public let path: String
    /// Every tensor the header lists, in the order of their data (timm writes `state_dict`
    /// order), integer ones (`num_batches_tracked`) included.
    public let entries: [SafeTensors.Entry]
    public let metadata: [String: String]
    private let places: [String: (entry: SafeTensors.Entry, offset: Int)]
    private let descriptor: Int32

    /// Opens `path` and reads its header. Errors name the file and what is wrong with it.
    public init(path: String) throws(WeightFileError) {
        func unreadable(_ reason: String) -> WeightFileError { WeightFileError(.unreadable, path: path, reason: reason) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable(String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw unreadable(reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw unreadable("not a regular file")
        }
        let fileSize = Int(info.st_size)
        do {
            guard fileSize >= 8 else {
                throw WeightFileError(.format, path: path, reason: "too short for a safetensors file (\(fileSize) bytes)")
            }
            let length: Int
            do { length = try SafeTensors.headerLength(try Self.read(fd, count: 8, at: 0, path: path), fileSize: fileSize) } catch let error as SafeTensors.FormatError {
                throw WeightFileError(.format, path: path, reason: error.description)
            }
            let header = try Self.read(fd, count: length, at: 8, path: path)
            let index: SafeTensors.Index
            do { index = try SafeTensors.index(header: Data(header), dataLength: fileSize - 8 - length) } catch {
                throw WeightFileError(.format, path: path, reason: error.description)
            }
            for item in index.tensors {
                guard item.entry.shape.count <= WeightFileLimits.rank else {
                    throw WeightFileError(.limit, path: path, location: item.entry.name,
                                          reason: "has \(item.entry.shape.count) dimensions; at most \(WeightFileLimits.rank) are read")
                }
            }
            guard index.tensors.count <= WeightFileLimits.objects else {
                throw WeightFileError(.limit, path: path, reason: "lists \(index.tensors.count) tensors; at most \(WeightFileLimits.objects) are read")
            }
            self.entries = index.tensors.map(\.entry)
            self.places = Dictionary(index.tensors.map { ($0.entry.name, ($0.entry, 8 + length + $0.data.lowerBound)) },
                                     uniquingKeysWith: { first, _ in first })
            self.metadata = index.metadata
        } catch let error as WeightFileError {
            close(fd)
            throw error
        } catch {
            close(fd)
            throw unreadable("\(error)")
        }
        self.path = path
        self.descriptor = fd
    }

    deinit { close(descriptor) }

    /// The tensor called `name`, or nil.
    public func entry(_ name: String) -> SafeTensors.Entry? { places[name]?.entry }

    /// The values of the tensor called `name` as `Float` (F32 as stored; F16, BF16 and F64
    /// converted), in its stored order (row-major over its shape).
    public func values(_ name: String) throws(WeightFileError) -> [Float] {
        guard let (entry, offset) = places[name] else {
            throw WeightFileError(.missing, path: path, location: name, reason: "is not in the file")
        }
        guard entry.dtype.isReadAsFloat else {
            throw WeightFileError(.dataType, path: path, location: name, reason: "holds \(entry.dtype.rawValue), which is not read as float")
        }
        let count = entry.shape.reduce(1, *)
        guard count <= WeightFileLimits.tensorValues else {
            throw WeightFileError(.limit, path: path, location: name,
                                  reason: "holds \(count) values; at most \(WeightFileLimits.tensorValues) are read per tensor")
        }
        let bytes = try Self.read(descriptor, count: count * entry.dtype.size, at: offset, path: path)
        return bytes.withUnsafeBytes { SafeTensors.floats($0, entry.dtype) }
    }

    /// `count` bytes at `offset`; a file that ends sooner (truncated since it was opened) is an
    /// error, not a short read.
    private static func read(_ fd: Int32, count: Int, at offset: Int, path: String) throws(WeightFileError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw WeightFileError(.unreadable, path: path,
                                      reason: n < 0 ? String(cString: strerror(errno)) : "ends at byte \(offset + done), before the \(count) bytes at \(offset) its header promises")
            }
            done += n
        }
        return bytes
    }
}
