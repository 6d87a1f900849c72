/// The documented ceilings on what one image may cost to read and to write, so that a hostile or
/// damaged file (a 2 GB "photo", a decompression bomb, a JPEG of 50 000 scans) or a slip of the
/// keyboard (`--size 20000x20000`) fails that one item with a message instead of exhausting
/// memory or time. Defaults sit far above any image a classifier is trained on.
///
/// | limit | default | flag |
/// | --- | --- | --- |
/// | bytes of an image file read | 256 MB | `--max-file-size` |
/// | pixels of an image decoded, or of a resize's output | 100 million | `--max-pixels` |
/// | width or height given to `--size` | 16384 | fixed |
/// | scans of a progressive JPEG | 500 | `--max-scans` |
public struct InputLimits: Sendable, Hashable {
    /// Largest image file read, in bytes. Checked with `stat` before a byte is read.
    public var maxFileBytes: Int
    /// Most pixels an image may have, decoded or as a resize's output. Pillow refuses above
    /// about 179 million; we stop earlier because nobody trains on such images.
    public var maxPixels: Int
    /// Most scans a progressive JPEG may have. Encoders write about 10; each scan is a pass
    /// over every coefficient, so a file of 50 000 tiny ones took 81 s to decode.
    public var maxJPEGScans: Int

    public static let defaultMaxFileBytes = 256_000_000
    public static let defaultMaxPixels = 100_000_000
    /// Largest width or height `--size` accepts: 16384 is beyond any model input, and an image
    /// that large is already 805 MB as RGB.
    public static let maxOutputSide = 16_384
    /// libjpeg-turbo's own default for the same guard.
    public static let defaultMaxJPEGScans = 500
    /// The limit of TurboJPEG's `TJFLAG_LIMITSCANS`, fixed in libjpeg-turbo 2.1.
    public static let turboJPEGScanLimit = 500

    public init(maxFileBytes: Int = defaultMaxFileBytes, maxPixels: Int = defaultMaxPixels,
                maxJPEGScans: Int = defaultMaxJPEGScans) {
        self.maxFileBytes = maxFileBytes
        self.maxPixels = maxPixels
        self.maxJPEGScans = maxJPEGScans
    }

    /// Throws `.unsupported` for an image with no pixels and `.tooLarge` above `maxPixels`
    /// (also when `width * height` overflows). Every decoder calls this before allocating.
    public func checkPixels(width: Int, height: Int, format: ImageFormat) throws(ImageError) {
        guard width > 0, height > 0 else {
            throw .unsupported(format: format, detail: "the image is \(width)x\(height) pixels, so there is nothing to decode")
        }
        guard let count = CheckedSize.product(width, height), count <= maxPixels else {
            throw .tooLarge(width: width, height: height, limit: maxPixels)
        }
    }

    /// Throws `.outputTooLarge` when `spec` would turn a `source`-sized image into one of more
    /// than `maxPixels` (`--mode shorter` of a long, thin source), before anything is allocated.
    public func checkResize(_ spec: ResizeSpec, of source: PixelSize) throws(ImageError) {
        let canvas = spec.plan(for: source).canvas
        guard let count = CheckedSize.product(canvas.width, canvas.height), count <= maxPixels else {
            throw .outputTooLarge(width: canvas.width, height: canvas.height, limit: maxPixels)
        }
    }

    /// Why `size` cannot be a `--size` (a side above `maxOutputSide`), or nil when it can.
    public static func outputSizeProblem(_ size: PixelSize) -> String? {
        guard size.width > maxOutputSide || size.height > maxOutputSide else { return nil }
        return "\(size) is over the limit of \(maxOutputSide) pixels a side"
    }
}
