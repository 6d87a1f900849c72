import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 (a port the system picks), serving one in-memory body
/// at one path from a background thread, for download tests without a network.
///
/// It honours `Range: bytes=N-` (206 with `Content-Range`, 416 past the end), closes every
/// connection after one answer, records each request, and can misbehave on purpose (`Mode`).
public final class LoopbackHTTPServer: Sendable {
    /// How the next answers behave.
    public enum Mode: Sendable, Equatable {
        /// A correct server.
        case normal
        /// Announces the full length, sends only this many body bytes, then closes.
        case dropAfter(Int)
        /// Sends this many body bytes, then goes silent with the connection open.
        case stallAfter(Int)
        /// Sends bytes of the right length but the wrong content.
        case wrongBytes
        /// Answers 404 to everything.
        case notFound
        /// Answers 200 with the whole body whatever `Range` asks.
        case ignoreRange
        /// Sends the body in pieces of `bytes`, pausing `milliseconds` before each.
        case trickle(bytes: Int, milliseconds: Int)
    }

    /// One request as received.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lowercased.
        public var headers: [String: String]
    }

    private struct State {
        var mode: Mode
        var requests: [Request] = []
        var running = true
    }

    public let port: UInt16
    /// The path the body is served at; others get 404.
    public let path: String
    private let body: [UInt8]
    private let listener: Int32
    private let state: Mutex<State>
    private let stopped = DispatchSemaphore(value: 0)

    /// Starts listening and serving.
    public init(body: [UInt8], path: String = "/file.bin", mode: Mode = .normal) {
        self.body = body
        self.path = path
        state = Mutex(State(mode: mode))
        let (fd, port) = Self.listen()
        listener = fd
        self.port = port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The body's address.
    public var url: URL { URL(string: baseURL + path)! }

    public var mode: Mode {
        get { state.withLock { $0.mode } }
        set { state.withLock { $0.mode = newValue } }
    }

    /// Every request so far, in order.
    public var requests: [Request] { state.withLock { $0.requests } }

    /// Stops accepting and waits for the serving thread to end. Idempotent.
    public func stop() {
        let wasRunning = state.withLock { s in
            defer { s.running = false }
            return s.running
        }
        guard wasRunning else { return }
        // Wakes the thread blocked in accept().
        shutdown(listener, Int32(SHUT_RDWR))
        stopped.wait()
        close(listener)
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then released), for unreachable-server tests.
    public static func closedPort() -> UInt16 {
        let (fd, port) = listen()
        close(fd)
        return port
    }

    private var isRunning: Bool { state.withLock { $0.running } }

    private static func listen() -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        precondition(fd >= 0, "socket: \(String(cString: strerror(errno)))")
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(bound == 0, "bind: \(String(cString: strerror(errno)))")
        precondition(Glibc.listen(fd, 16) == 0, "listen: \(String(cString: strerror(errno)))")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    private func serve() {
        defer { stopped.signal() }
        while isRunning {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let request = readRequest(client) else { return }
        let mode = state.withLock { s in
            s.requests.append(request)
            return s.mode
        }
        guard request.path == path, mode != .notFound else {
            send(client, head: "404 Not Found", headers: [], body: Array("not found\n".utf8))
            return
        }
        var first = 0
        if mode != .ignoreRange, let range = request.headers["range"] {
            guard range.hasPrefix("bytes="), range.hasSuffix("-"),
                  let start = Int(range.dropFirst("bytes=".count).dropLast()), start >= 0 else {
                send(client, head: "400 Bad Request", headers: [], body: [])
                return
            }
            guard start < body.count else {
                send(client, head: "416 Range Not Satisfiable", headers: ["Content-Range: bytes */\(body.count)"], body: [])
                return
            }
            first = start
        }
        var content = Array(body[first...])
        if mode == .wrongBytes { content = content.map { $0 ^ 0x5A } }
        let head = first > 0 ? "206 Partial Content" : "200 OK"
        let extra = first > 0 ? ["Content-Range: bytes \(first)-\(body.count - 1)/\(body.count)"] : []
        switch mode {
        case .dropAfter(let count):
            send(client, head: head, headers: extra, body: content, sendOnly: min(count, content.count))
        case .stallAfter(let count):
            send(client, head: head, headers: extra, body: content, sendOnly: min(count, content.count))
            // Silent until the client gives up (closes) or the server stops.
            var poll = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &poll, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            while isRunning, recv(client, &byte, 1, 0) < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {}
        case .trickle(let bytes, let milliseconds):
            send(client, head: head, headers: extra, body: content, sendOnly: 0)
            var offset = 0
            while offset < content.count, isRunning {
                usleep(useconds_t(milliseconds * 1000))
                let end = min(offset + max(bytes, 1), content.count)
                guard sendRaw(client, Array(content[offset..<end])) else { return }
                offset = end
            }
        default:
            send(client, head: head, headers: extra, body: content)
        }
    }

    /// Reads up to the blank line after the headers (64 KiB at most).
    private func readRequest(_ client: Int32) -> Request? {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            data += chunk[0..<n]
            if let end = String(decoding: data, as: UTF8.self).range(of: "\r\n\r\n") {
                let text = String(decoding: data, as: UTF8.self)[..<end.lowerBound]
                let lines = text.components(separatedBy: "\r\n")
                let parts = lines[0].split(separator: " ")
                guard parts.count == 3 else { return nil }
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return Request(method: String(parts[0]), path: String(parts[1]), headers: headers)
            }
        }
        return nil
    }

    /// Sends the status line and headers (announcing all of `body`), then the first `sendOnly`
    /// bytes of `body` (all by default).
    private func send(_ client: Int32, head: String, headers: [String], body: [UInt8], sendOnly: Int? = nil) {
        let lines = ["HTTP/1.1 \(head)", "Content-Length: \(body.count)", "Content-Type: application/octet-stream",
                     "Connection: close"] + headers
        _ = sendRaw(client, Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body[0..<(sendOnly ?? body.count)])
    }

    /// Writes all of `bytes`; false when the client has gone.
    private func sendRaw(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            // MSG_NOSIGNAL: a client that hung up must not kill the test process with SIGPIPE.
            let n = bytes.withUnsafeBytes { Glibc.send(client, $0.baseAddress! + done, $0.count - done, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}
