/// A source image laid out for `AffineWarp`: its rows with one extra column (a copy of the
/// last) and one extra row (a copy of the last), plus a few spare bytes at the end.
///
/// With them, the kernel's second taps (`x + 1`, `y + 1`) exist even at the last column and
/// row, where their weight is zero, and every tap can be read as 4 bytes. So every output pixel
/// whose position is inside the image takes the same branch-free path. Making one costs a copy
/// of the image; an augmenting worker makes it once per source and warps it for every copy.
public struct WarpSource: Sendable {
    public let width: Int
    public let height: Int
    /// Bytes per padded row: `(width + 1) * 3`.
    let stride: Int
    let pixels: [UInt8]

    public init(_ image: RGBImage) {
        let (w, h) = (image.width, image.height)
        let stride = (w + 1) * 3
        self.width = w
        self.height = h
        self.stride = stride
        let count = stride * (h + 1) + Self.spare
        pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let dst = buffer.baseAddress!
            image.pixels.withUnsafeBufferPointer { src in
                for y in 0..<h {
                    let row = dst + y * stride
                    row.update(from: src.baseAddress! + y * w * 3, count: w * 3)
                    row[w * 3] = row[w * 3 - 3]; row[w * 3 + 1] = row[w * 3 - 2]; row[w * 3 + 2] = row[w * 3 - 1]
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
        RGBImage(width: size.width, height: size.height) { dst in
            pixels.withUnsafeBufferPointer { src in
                AffineWarp.warp(AffineWarp.Source(base: src.baseAddress!, width: width, height: height, stride: stride),
                                matrix: matrix, into: dst.baseAddress!, width: size.width, height: size.height,
                                fill: fill, cval: cval, brightness: brightness.map { Float($0) })
            }
        }
    }
}
