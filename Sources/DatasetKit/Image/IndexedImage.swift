/// A palette image: one byte per pixel indexing up to 256 RGB colours, each with an optional
/// alpha value (PNG's PLTE and tRNS chunks).
///
/// Written by the PNG encoder for files in "palette" mode (many real downloads have them);
/// `init(quantizing:maxColors:)` makes one from an RGB image.
public struct IndexedImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1-256 colours.
    public var palette: [RGBColor]
    /// Alpha of the first `alpha.count` palette entries (the rest are opaque); at most one per entry.
    public var alpha: [UInt8]
    /// `width * height` palette indices, rows top to bottom.
    public var indices: [UInt8]

    public init(width: Int, height: Int, palette: [RGBColor], alpha: [UInt8] = [], indices: [UInt8]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition((1...256).contains(palette.count), "a palette holds 1-256 colours")
        precondition(alpha.count <= palette.count, "at most one alpha value per palette entry")
        precondition(indices.count == width * height, "one index per pixel is needed")
        self.width = width
        self.height = height
        self.palette = palette
        self.alpha = alpha
        self.indices = indices
    }

    /// The image in RGB (alpha ignored): what a decoder shows for an opaque palette file.
    public var rgb: RGBImage {
        RGBImage(width: width, height: height) { out in
            for (i, index) in indices.enumerated() {
                let c = palette[Int(index)]
                out[3 * i] = c.red; out[3 * i + 1] = c.green; out[3 * i + 2] = c.blue
            }
        }
    }
}
