/// Why an image could not be read or written. Messages name the cause in words a user can act
/// on; the caller adds the file path.
public enum ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no bytes at all.
    case empty
    /// The bytes are not any format we read (the first bytes are shown in hex).
    case unknownFormat(leadingBytes: String)
    /// The file stops before the image data ends.
    case truncated(format: ImageFormat, detail: String)
    /// The codec rejected the data.
    case corrupt(format: ImageFormat, detail: String)
    /// A valid file using a feature we do not read (e.g. a 12-bit JPEG, a compressed BMP).
    case unsupported(format: ImageFormat, detail: String)
    /// The image is larger than the configured pixel limit (a guard against decompression bombs).
    case tooLarge(width: Int, height: Int, limit: Int)
    /// A resize would make an image larger than the configured pixel limit (`--mode shorter`
    /// of a long, thin source, or a `--size` above `--max-pixels`).
    case outputTooLarge(width: Int, height: Int, limit: Int)
    /// A valid JPEG with samples of other than 8 bits (12-bit medical and raw-preview files).
    case unsupportedPrecision(bits: Int)
    /// A progressive JPEG with more scans than `limit`: no encoder writes that many, and each
    /// costs a pass over every coefficient, so such a file takes minutes to decode.
    case tooManyScans(limit: Int)
    /// Encoding failed.
    case encodeFailed(format: ImageFormat, detail: String)

    public var description: String {
        switch self {
        case .empty: return "empty file (0 bytes)"
        case .unknownFormat(let lead): return "not an image we can read (starts with \(lead); expected JPEG, PNG, BMP or PPM)"
        case .truncated(let f, let d): return "truncated \(f.name): \(d)"
        case .corrupt(let f, let d): return "corrupt \(f.name): \(d)"
        case .unsupported(let f, let d): return "unsupported \(f.name): \(d)"
        case .tooLarge(let w, let h, let limit):
            return "image is \(w)x\(h), over the limit of \(limit) pixels (--max-pixels raises it)"
        case .outputTooLarge(let w, let h, let limit):
            return "the output would be \(w)x\(h), over the limit of \(limit) pixels (--max-pixels raises it)"
        case .unsupportedPrecision(let bits): return "\(bits)-bit JPEG: not supported (only 8-bit samples are read)"
        case .tooManyScans(let limit):
            return "too many scans (limit \(limit)): a progressive JPEG with more is damaged or built to stall decoders"
        case .encodeFailed(let f, let d): return "could not encode \(f.name): \(d)"
        }
    }
}
