/// An 8-bit RGB image with straight (not premultiplied) alpha: four bytes per pixel.
///
/// The toolkit reads every image as `RGBImage`; this type exists to *write* files that carry
/// transparency (PNG with an alpha channel), e.g. the product sample that mimics real downloads.
public struct RGBAImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 4` bytes, interleaved R, G, B, A.
    public var pixels: [UInt8]

    /// Bytes per row.
    public var stride: Int { width * 4 }

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(pixels.count == width * height * 4, "pixel buffer does not match \(width)x\(height) RGBA")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Joins an RGB image with one alpha value per pixel (255 opaque, 0 transparent).
    public init(_ image: RGBImage, alpha: [UInt8]) {
        precondition(alpha.count == image.width * image.height, "one alpha value per pixel is needed")
        let count = image.width * image.height
        let pixels = [UInt8](unsafeUninitializedCapacity: count * 4) { out, initialized in
            image.pixels.withUnsafeBufferPointer { rgb in
                for i in 0..<count {
                    out[4 * i] = rgb[3 * i]
                    out[4 * i + 1] = rgb[3 * i + 1]
                    out[4 * i + 2] = rgb[3 * i + 2]
                    out[4 * i + 3] = alpha[i]
                }
            }
            initialized = count * 4
        }
        self.init(width: image.width, height: image.height, pixels: pixels)
    }
}
