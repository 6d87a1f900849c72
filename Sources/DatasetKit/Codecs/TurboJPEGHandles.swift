import CTurboJPEG
import Synchronization

/// A small pool of TurboJPEG handles. A handle is not thread-safe but is costly enough to
/// create (it allocates libjpeg's state) that we reuse them: one per worker thread in practice.
final class TurboJPEGHandles: Sendable {
    enum Kind { case compress, decompress }

    static let decompressors = TurboJPEGHandles(kind: .decompress)
    static let compressors = TurboJPEGHandles(kind: .compress)

    private let kind: Kind
    /// A raw handle; only ever used by the one thread that took it from the pool.
    private struct Handle: @unchecked Sendable { let raw: tjhandle }
    private let idle = Mutex<[Handle]>([])

    private init(kind: Kind) { self.kind = kind }

    /// Runs `body` with a handle nobody else is using. A handle whose call failed or warned is
    /// destroyed rather than reused: libjpeg-turbo 2.1 can leave it unable to read the next file.
    func withHandle<T, E: Error>(_ body: (tjhandle) throws(E) -> T) throws(E) -> T {
        let handle = idle.withLock { $0.popLast() } ?? make()
        do {
            let result = try body(handle.raw)
            if tjGetErrorCode(handle.raw) == Int32(TJERR_WARNING.rawValue),
               String(cString: tjGetErrorStr2(handle.raw)) != "No error" {
                tjDestroy(handle.raw)
            } else {
                idle.withLock { $0.append(handle) }
            }
            return result
        } catch {
            tjDestroy(handle.raw)
            throw error
        }
    }

    private func make() -> Handle {
        let handle = kind == .compress ? tjInitCompress() : tjInitDecompress()
        guard let handle else { fatalError("TurboJPEG could not allocate a handle (out of memory)") }
        return Handle(raw: handle)
    }

    /// The last error message for `handle`.
    static func message(_ handle: tjhandle) -> String {
        guard let cString = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: cString)
    }
}
