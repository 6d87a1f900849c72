/// Everything one augmented copy was made with: apply these to the same source and settings and
/// the same pixels come out. `--log` writes them, `--replay` reads them back.
///
/// The JSON keys are Keras' own (`get_random_transform`'s dictionary) plus the fill, with one
/// difference in meaning that Keras' own code is inconsistent about: `tx` is the horizontal
/// shift (from the width range) and `ty` the vertical one.
public struct TransformParameters: Sendable, Hashable, Codable {
    /// Rotation in degrees; positive turns the content counter-clockwise.
    public var theta: Double
    /// Shift in pixels, as the matrix entry `input = output + (tx, ty)`: the content moves by
    /// `(-tx, -ty)`.
    public var tx: Double
    public var ty: Double
    /// Shear angle in degrees.
    public var shear: Double
    /// Zoom factors along x and y (above 1 zooms out).
    public var zx: Double
    public var zy: Double
    public var flipHorizontal: Bool
    public var flipVertical: Bool
    /// Added to every channel, then clipped to the warped image's own range; nil for none.
    public var channelShiftIntensity: Double?
    /// Brightness factor (PIL's `ImageEnhance.Brightness`); nil for none.
    public var brightness: Double?
    public var fillMode: FillMode
    /// Fill value for `constant`, 0-255.
    public var cval: Double

    public init(theta: Double = 0, tx: Double = 0, ty: Double = 0, shear: Double = 0, zx: Double = 1, zy: Double = 1,
                flipHorizontal: Bool = false, flipVertical: Bool = false, channelShiftIntensity: Double? = nil,
                brightness: Double? = nil, fillMode: FillMode = .nearest, cval: Double = 0) {
        self.theta = theta
        self.tx = tx
        self.ty = ty
        self.shear = shear
        self.zx = zx
        self.zy = zy
        self.flipHorizontal = flipHorizontal
        self.flipVertical = flipVertical
        self.channelShiftIntensity = channelShiftIntensity
        self.brightness = brightness
        self.fillMode = fillMode
        self.cval = cval
    }

    enum CodingKeys: String, CodingKey {
        case theta, tx, ty, shear, zx, zy
        case flipHorizontal = "flip_horizontal", flipVertical = "flip_vertical"
        case channelShiftIntensity = "channel_shift_intensity", brightness
        case fillMode = "fill_mode", cval
    }

    /// The output→input map for a `width` x `height` image, as Keras' `apply_affine_transform`
    /// composes it: rotation · shift · shear · zoom, taken about the image centre, then the
    /// flips of `apply_transform` (which Keras applies to the warped image). One matrix, so
    /// each output pixel is sampled once.
    ///
    /// The centre is `((w-1)/2, (h-1)/2)`, the middle of the pixel grid. Keras'
    /// `transform_matrix_offset_center` uses `w/2 + 0.5`, a pixel right of and below it, which
    /// shifts every turned or zoomed image by up to a pixel and puts a 90° turn of a square two
    /// pixels off a transpose.
    public func matrix(width: Int, height: Int) -> AffineMatrix {
        let geometry = AffineMatrix.rotation(degrees: theta)
            .concatenating(.translation(x: tx, y: ty))
            .concatenating(.shear(degrees: shear))
            .concatenating(.scale(x: zx, y: zy))
            .about(x: Double(width - 1) / 2, y: Double(height - 1) / 2)
        let flips = AffineMatrix(a: flipHorizontal ? -1 : 1, b: 0, c: flipHorizontal ? Double(width - 1) : 0,
                                 d: 0, e: flipVertical ? -1 : 1, f: flipVertical ? Double(height - 1) : 0)
        return geometry.concatenating(flips)
    }

    /// The colour changes, applied after the warp.
    public var photometric: PhotometricAdjust {
        PhotometricAdjust(channelShift: channelShiftIntensity, brightness: brightness)
    }
}
