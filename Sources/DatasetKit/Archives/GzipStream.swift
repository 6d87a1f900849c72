import CArchive

/// Inflates a gzip file with zlib, checking every member's CRC-32 and length.
///
/// libarchive 3.6 reads the gzip trailer without checking it, so a tar.gz with flipped bytes in
/// a stored block unpacks "successfully"; gzip -t and GNU tar fail it. Members follow one another
/// (as `cat a.gz b.gz` makes); bytes after the last member that do not start another are ignored,
/// as gzip does.
final class GzipStream {
    private let input: RawInput
    private var stream = z_stream()
    private let output: UnsafeMutableRawBufferPointer
    private var started = false
    private var inputEnded = false
    /// Between members: the last one ended and its trailer checked out.
    private var betweenMembers = false
    private var finished = false
    private(set) var error: String?

    init(input: RawInput, outputSize: Int = 64 << 10) {
        self.input = input
        self.output = .allocate(byteCount: outputSize, alignment: 64)
    }

    deinit {
        if started { inflateEnd(&stream) }
        output.deallocate()
    }

    /// Bytes of the file inflated so far: where an error was found.
    var compressedOffset: Int64 { input.consumed - Int64(stream.avail_in) }

    /// The next decompressed block: its size (0 at the end of the stream, -1 on an error, kept
    /// in `error`); the bytes stay valid until the next call.
    func read() -> (bytes: UnsafeRawPointer?, count: Int) {
        if error != nil { return (nil, -1) }
        if finished { return (nil, 0) }
        if !started {
            guard ds_inflate_init_gzip(&stream) == DS_Z_OK else { return fail("zlib could not start (out of memory)") }
            started = true
        }
        while true {
            if stream.avail_in == 0 && !inputEnded {
                let n = input.fill()
                if n < 0 { return fail(input.error ?? "read error") }
                if n == 0 { inputEnded = true }
                stream.next_in = input.buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(n)
            }
            if betweenMembers {
                if stream.avail_in == 0 {
                    if inputEnded { finished = true; return (nil, 0) }
                    continue
                }
                guard stream.next_in.pointee == 0x1F else { finished = true; return (nil, 0) }  // trailing bytes
                inflateReset(&stream)
                betweenMembers = false
            }
            if stream.avail_in == 0 && inputEnded {
                return fail("the gzip stream ends early (truncated) at byte \(compressedOffset)")
            }
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            let status = inflate(&stream, DS_Z_NO_FLUSH)
            let produced = output.count - Int(stream.avail_out)
            if status == DS_Z_STREAM_END {
                betweenMembers = true
            } else if status != DS_Z_OK && status != DS_Z_BUF_ERROR {
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                return fail("gzip data damaged at byte \(compressedOffset) of the file: \(Self.explain(message))")
            }
            if produced > 0 { return (UnsafeRawPointer(output.baseAddress), produced) }
        }
    }

    /// zlib's terse trailer messages, in words a user can act on.
    private static func explain(_ message: String) -> String {
        switch message {
        case "incorrect data check": return "CRC-32 mismatch (incorrect data check): the data is damaged"
        case "incorrect length check": return "length mismatch (incorrect length check): data is missing or damaged"
        default: return message
        }
    }

    private func fail(_ message: String) -> (bytes: UnsafeRawPointer?, count: Int) {
        error = message
        return (nil, -1)
    }
}
