/// An 8-bit RGB image: rows top to bottom, pixels left to right, three bytes per pixel.
///
/// Every decoder produces one and every kernel consumes one, so the pipeline has a single
/// pixel layout and one allocation per image.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes, interleaved R, G, B.
    public var pixels: [UInt8]

    /// Bytes per row.
    @inlinable public var stride: Int { width * 3 }

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        precondition(pixels.count == width * height * 3, "pixel buffer does not match \(width)x\(height) RGB")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, fill: RGBColor = .black) {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        if fill != .black {
            for i in Swift.stride(from: 0, to: pixels.count, by: 3) {
                pixels[i] = fill.red; pixels[i + 1] = fill.green; pixels[i + 2] = fill.blue
            }
        }
        self.pixels = pixels
    }

    /// Builds an image by letting `body` write all `width * height * 3` bytes.
    @inlinable
    public init(width: Int, height: Int,
                initializingWith body: (UnsafeMutableBufferPointer<UInt8>) throws -> Void) rethrows {
        precondition(width > 0 && height > 0, "image dimensions must be positive")
        self.width = width
        self.height = height
        let count = width * height * 3
        self.pixels = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            try body(buffer)
            initialized = count
        }
    }

    /// The pixel at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> RGBColor {
        get {
            let i = (y * width + x) * 3
            return RGBColor(red: pixels[i], green: pixels[i + 1], blue: pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 3
            pixels[i] = newValue.red; pixels[i + 1] = newValue.green; pixels[i + 2] = newValue.blue
        }
    }
}
