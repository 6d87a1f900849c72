import Crypto

/// What `stats` and `clean` learn about one file: its format, size and colour model, or why it
/// cannot be read; and, when asked, its content hash, look (perceptual hash) and pixel statistics.
public struct ImageFacts: Sendable {
    /// Relative to the folder inspected.
    public var path: String
    public var fileBytes: Int
    /// Detected from the bytes (nil when unrecognised).
    public var format: ImageFormat?
    public var colorModel: ColorModel?
    /// Upright, full size as stored.
    public var size: PixelSize?
    /// Why the image cannot be used; nil when it decoded.
    public var error: ImageError?
    /// A file-system failure (unreadable file); the image was not looked at.
    public var fileError: FileError?
    /// SHA-256 of the bytes (hex), when hashes were asked for.
    public var contentHash: String?
    public var perceptualHash: PerceptualHash?
    /// Of the image resized as for training, when a resize was given.
    public var statistics: ChannelStatistics?

    /// True when the image decoded.
    public var isReadable: Bool { error == nil && fileError == nil }

    /// The format the extension claims (nil for unknown extensions).
    public var claimedFormat: ImageFormat? { ImageFormat(fileExtension: FileTree.pathExtension(path)) }

    /// A short reason when the file is unusable.
    public var failureReason: String? { fileError.map { $0.reason } ?? error?.description }
}

/// Looks at files: one full decode each, plus what the options ask for.
public struct ImageInspector: Sendable {
    public var decode: DecodeOptions
    /// Resize for channel statistics (`stats --size`); nil for none.
    public var statisticsResize: ResizeJob?
    /// Content and perceptual hashes (`clean`).
    public var hashes: Bool

    public init(decode: DecodeOptions = DecodeOptions(), statisticsResize: ResizeJob? = nil, hashes: Bool = false) {
        self.decode = decode
        self.statisticsResize = statisticsResize
        self.hashes = hashes
    }

    /// The facts of `root/path`. Never throws: failures are facts too.
    public func inspect(root: String, path: String) -> ImageFacts {
        var facts = ImageFacts(path: path, fileBytes: 0)
        let bytes: [UInt8]
        do { bytes = try FileIO.readImage(root + "/" + path, limits: decode.limits) } catch {
            facts.fileError = error
            return facts
        }
        facts.fileBytes = bytes.count
        facts.format = ImageFormat.detect(bytes)
        if hashes { facts.contentHash = SHA256.hash(data: bytes).hexString }
        do {
            let decoded: DecodedImage
            if let statisticsResize {
                decoded = try statisticsResize.resizedImage(bytes)
                facts.statistics = ChannelStatistics(decoded.image)
            } else {
                var options = decode
                if hashes { options.reduceTo = PerceptualHash.sourceSize }
                decoded = try ImageDecoder.decode(bytes, options: options)
            }
            facts.colorModel = decoded.colorModel
            facts.size = decoded.originalSize
            if hashes { facts.perceptualHash = PerceptualHash(decoded.image) }
        } catch {
            facts.error = error
        }
        return facts
    }
}
