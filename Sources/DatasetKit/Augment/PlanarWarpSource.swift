/// A JPEG's own planes (Y, and Cb, Cr at their own resolution) laid out for `AffineWarp`, for
/// JPEG-to-JPEG augmentation without colour conversion.
///
/// The warp is linear, so warping Y, Cb and Cr with one map is warping R, G and B with it, up
/// to rounding. Each chroma plane is warped with the output→input map taken into its own
/// sample coordinates, from the source's layout (4:2:0, 4:2:2, 4:4:4) straight into the
/// output's, so chroma is never upsampled, converted or downsampled. With 4:2:0 that is 1.5
/// samples per pixel to warp instead of 3, and the decoder's and encoder's colour conversions
/// drop out.
///
/// It differs from the RGB path by the chroma: bilinear from the source's chroma samples
/// instead of the decoder's upsampled ones, and at the edge of a `constant` fill the chroma
/// plane's own border (up to one luma pixel from the luma's).
public struct PlanarWarpSource: Sendable {
    public let luma: WarpSource
    /// Cb, Cr; empty for grayscale.
    public let chroma: [WarpSource]
    /// Luma pixels per chroma sample, across and down.
    let chromaFactors: (x: Int, y: Int)

    public init(_ image: YCbCrImage) {
        luma = WarpSource(image.luma)
        chroma = image.chroma.map { WarpSource($0) }
        chromaFactors = image.chromaFactors
    }

    public var size: PixelSize { PixelSize(width: luma.width, height: luma.height) }

    /// The planes warped through `matrix` (output → input, in luma pixels) onto `size`, chroma
    /// laid out for `subsampling`. `constant` fills with gray `cval` (Cb = Cr = 128). A
    /// `brightness` factor scales Y as PIL scales each of R, G, B (times the factor, truncated,
    /// at most 255), and Cb, Cr about their neutral 128 (rounded): a blend with black; above 1,
    /// blocks where a channel would clip are brightened in RGB.
    /// Grayscale sources get neutral chroma.
    public func warped(by matrix: AffineMatrix, size: PixelSize, subsampling: ChromaSubsampling, fill: FillMode,
                       cval: UInt8 = 0, brightness: Double? = nil) -> YCbCrImage {
        let factor = subsampling == .s420 ? 2 : 1
        // Above 1, brightness can clip a channel in RGB, which plane-wise scaling cannot show:
        // warp untoned, then brighten block by block (see `YCbCrImage.brighten`).
        if let brightness, brightness > 1, !chroma.isEmpty {
            var image = warped(by: matrix, size: size, subsampling: subsampling, fill: fill, cval: cval, brightness: nil)
            image.brighten(by: brightness, chromaFactor: factor)
            return image
        }
        let y = luma.warpedPlane(by: matrix, size: size, fill: fill, cval: cval, tone: brightness.map(ToneCurve.brightness))
        let chromaSize = PixelSize(width: (size.width + factor - 1) / factor, height: (size.height + factor - 1) / factor)
        guard !chroma.isEmpty else {
            let neutral = Plane(width: chromaSize.width, height: chromaSize.height, value: Self.neutral)
            return YCbCrImage(luma: y, chroma: [neutral, neutral])
        }
        let planeMatrix = Self.lumaToPlane(chromaFactors.x, chromaFactors.y)
            .concatenating(matrix)
            .concatenating(Self.planeToLuma(factor, factor))
        let tone = brightness.map(ToneCurve.chroma)
        return YCbCrImage(luma: y, chroma: chroma.map {
            $0.warpedPlane(by: planeMatrix, size: chromaSize, fill: fill, cval: Self.neutral, tone: tone)
        })
    }

    /// Cb and Cr of gray.
    static let neutral: UInt8 = 128

    /// Where a sample of a plane subsampled by `fx` x `fy` sits in luma pixels: JPEG centres a
    /// chroma sample on the luma pixels it covers (sample 0 of 4:2:0 at 0.5).
    static func planeToLuma(_ fx: Int, _ fy: Int) -> AffineMatrix {
        AffineMatrix(a: Double(fx), b: 0, c: Double(fx - 1) / 2, d: 0, e: Double(fy), f: Double(fy - 1) / 2)
    }

    /// The inverse of `planeToLuma` (exact: the factors are 1, 2 or 4).
    static func lumaToPlane(_ fx: Int, _ fy: Int) -> AffineMatrix {
        AffineMatrix(a: 1 / Double(fx), b: 0, c: -Double(fx - 1) / Double(2 * fx),
                     d: 0, e: 1 / Double(fy), f: -Double(fy - 1) / Double(2 * fy))
    }
}
