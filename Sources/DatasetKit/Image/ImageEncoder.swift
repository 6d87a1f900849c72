/// An encoded output format with its settings.
public enum EncodeFormat: Sendable, Hashable {
    case jpeg(quality: Int, subsampling: ChromaSubsampling)
    case png(compressionLevel: Int)

    /// The container format written.
    public var imageFormat: ImageFormat {
        switch self {
        case .jpeg: .jpeg
        case .png: .png
        }
    }
}

/// Encodes RGB8 images.
public enum ImageEncoder {
    public static func encode(_ image: RGBImage, as format: EncodeFormat) throws(ImageError) -> [UInt8] {
        switch format {
        case .jpeg(let quality, let subsampling):
            return try JPEGEncoder.encode(image, quality: quality, subsampling: subsampling)
        case .png(let level):
            return try PNGCodec.encode(image, compressionLevel: level)
        }
    }

    /// Encodes YCbCr planes as JPEG; the chroma planes must be laid out for `subsampling`
    /// (as `YCbCrImage.resized(_:subsampling:)` makes them).
    public static func encodeJPEG(_ image: YCbCrImage, quality: Int, subsampling: ChromaSubsampling) throws(ImageError) -> [UInt8] {
        try JPEGEncoder.encode(image, quality: quality, subsampling: subsampling)
    }
}
