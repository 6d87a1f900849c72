import CHDF5
import Foundation

/// Every call into libhdf5 goes through here. Calls are serialised (Debian builds libhdf5
/// thread-safe, but other builds are not, and the lock costs nothing next to file I/O), and
/// libhdf5's own error printing is switched off on the calling thread first: in a thread-safe
/// build that setting is per thread, and otherwise a bad file prints stacks to stderr.
enum HDF5Library {
    /// Recursive because handles close themselves in `deinit`, which may run inside a call.
    private static let lock = NSRecursiveLock()

    static func call<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        _ = H5open()
        _ = H5Eset_auto2(chdf5_error_default(), nil, nil)
        return try body()
    }

    /// What libhdf5 said about the call that just failed (its innermost error), to append to
    /// a reason; empty when it said nothing. Call it before any other libhdf5 call.
    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        guard chdf5_innermost_error(&buffer, buffer.count) != 0 else { return "" }
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return message.isEmpty ? "" : " (libhdf5: \(message))"
    }
}
