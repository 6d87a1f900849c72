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

/// Encodes images: RGB8 as JPEG or PNG, and RGBA or palette images as PNG.
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

    /// A PNG with an alpha channel (colour type 6), at zlib level 0-9.
    public static func encodePNG(_ image: RGBAImage, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
        try PNGCodec.encode(image, compressionLevel: compressionLevel)
    }

    /// A palette PNG (colour type 3, with tRNS when the palette has alpha), at zlib level 0-9.
    public static func encodePNG(_ image: IndexedImage, compressionLevel: Int = 6) throws(ImageError) -> [UInt8] {
        try PNGCodec.encode(image, compressionLevel: compressionLevel)
    }
}
