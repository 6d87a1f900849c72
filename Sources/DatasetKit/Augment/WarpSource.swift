/// A source image laid out for `AffineWarp`: its rows with one extra column (a copy of the
/// last) and one extra row (a copy of the last), plus a few spare bytes at the end. Either an
/// RGB8 image or one 8-bit plane.
///
/// With them, the kernel's second taps (`x + 1`, `y + 1`) exist even at the last column and
/// row, where their weight is zero, and every tap can be read as 4 bytes. So every output pixel
/// whose position is inside the image takes the same branch-free path. Making one costs a copy
/// of the image; an augmenting worker makes it once per source and warps it for every copy.
public struct WarpSource: Sendable {
    public let width: Int
    public let height: Int
    /// Bytes per pixel: 3 (RGB) or 1 (a plane).
    let channels: Int
    /// Bytes per padded row: `(width + 1) * channels`.
    let stride: Int
    let pixels: [UInt8]

    /// An RGB image.
    public init(_ image: RGBImage) {
        self.init(image.pixels, width: image.width, height: image.height, channels: 3)
    }

    /// One plane (a JPEG's Y, Cb or Cr).
    public init(_ plane: Plane) {
        self.init(plane.samples, width: plane.width, height: plane.height, channels: 1)
    }

    private init(_ samples: [UInt8], width w: Int, height h: Int, channels c: Int) {
        let stride = (w + 1) * c
        self.width = w
        self.height = h
        self.channels = c
        self.stride = stride
        let count = stride * (h + 1) + Self.spare
        pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let dst = buffer.baseAddress!
            samples.withUnsafeBufferPointer { src in
                for y in 0..<h {
                    let row = dst + y * stride
                    row.update(from: src.baseAddress! + y * w * c, count: w * c)
                    (row + w * c).update(from: row + (w - 1) * c, count: c)
                }
            }
            (dst + h * stride).update(from: dst + (h - 1) * stride, count: stride)
            (dst + stride * (h + 1)).initialize(repeating: 0, count: Self.spare)
            initialized = count
        }
    }

    /// Bytes after the last row, so a 4-byte read of the last pixel stays in the buffer.
    static let spare = 4

    /// This image warped through `matrix` (output → input) onto `size` pixels, bilinearly, the
    /// outside read as `fill` says (`cval` for `constant`). A `brightness` factor is applied as
    /// each pixel is written, exactly as `PhotometricAdjust(brightness:)` would afterwards.
    public func warped(by matrix: AffineMatrix, size: PixelSize, fill: FillMode, cval: UInt8 = 0,
                       brightness: Double? = nil) -> RGBImage {
        precondition(channels == 3, "an RGB warp of a plane")
        return RGBImage(width: size.width, height: size.height) { dst in
            warp(RGBPixel.self, matrix: matrix, into: dst.baseAddress!, size: size, fill: fill, cval: cval,
                 tone: brightness.map(ToneCurve.brightness))
        }
    }

    /// This plane warped through `matrix` onto `size` samples, each written through `tone` when
    /// there is one.
    public func warpedPlane(by matrix: AffineMatrix, size: PixelSize, fill: FillMode, cval: UInt8 = 0,
                            tone: ToneCurve? = nil) -> Plane {
        precondition(channels == 1, "a plane warp of an RGB image")
        let samples = [UInt8](unsafeUninitializedCapacity: size.pixelCount) { dst, count in
            warp(PlaneSample.self, matrix: matrix, into: dst.baseAddress!, size: size, fill: fill, cval: cval, tone: tone)
            count = size.pixelCount
        }
        return Plane(width: size.width, height: size.height, samples: samples)
    }

    private func warp<Pixel: WarpPixel>(_ pixel: Pixel.Type, matrix: AffineMatrix, into dst: UnsafeMutablePointer<UInt8>,
                                        size: PixelSize, fill: FillMode, cval: UInt8, tone: ToneCurve?) {
        pixels.withUnsafeBufferPointer { src in
            let source = AffineWarp.Source(base: src.baseAddress!, width: width, height: height, stride: stride)
            AffineWarp.warp(source, as: Pixel.self, matrix: matrix, into: dst, width: size.width, height: size.height,
                            fill: fill, cval: cval, tone: tone)
        }
    }
}
