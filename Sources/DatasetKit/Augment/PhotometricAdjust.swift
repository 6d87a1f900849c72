/// The colour changes of an augmented copy, applied to the warped image in Keras' order: the
/// channel shift, then the brightness. Both map each 8-bit value on its own, so together they
/// are one 256-entry table.
public struct PhotometricAdjust: Sendable, Hashable {
    /// Keras' `apply_channel_shift`: one offset added to every channel of every pixel, the
    /// result clipped to the image's own lowest and highest value (so it can never brighten
    /// the brightest pixel). Rounded to the nearest level.
    public var channelShift: Double?
    /// PIL's `ImageEnhance.Brightness`, which Keras' `apply_brightness_shift` calls: a blend
    /// with black, `value · factor` in single precision, truncated and clipped to 0-255 as
    /// PIL's `ImageBlend` does. (Keras also turns the array into a PIL image with
    /// `scale=True`, which stretches its range to 0-255 first; we do not copy that.)
    public var brightness: Double?

    public init(channelShift: Double? = nil, brightness: Double? = nil) {
        self.channelShift = channelShift
        self.brightness = brightness
    }

    /// True when nothing changes.
    public var isIdentity: Bool { (channelShift ?? 0) == 0 && (brightness ?? 1) == 1 }

    /// The value that `value` becomes in an image whose samples span `lowest...highest`.
    public func map(_ value: UInt8, lowest: UInt8, highest: UInt8) -> UInt8 {
        var v = Int(value)
        if let shift = channelShift, shift != 0 {
            v = min(max(Int((Double(v) + shift).rounded()), Int(lowest)), Int(highest))
        }
        if let factor = brightness {
            let scaled = Float(v) * Float(factor)
            v = scaled <= 0 ? 0 : (scaled >= 255 ? 255 : Int(scaled))
        }
        return UInt8(v)
    }

    /// The whole mapping as a table, for an image whose samples span `lowest...highest`.
    public func table(lowest: UInt8 = 0, highest: UInt8 = 255) -> [UInt8] {
        (0...255).map { map(UInt8($0), lowest: lowest, highest: highest) }
    }

    /// Applies the adjustment to every sample of `image`.
    public func apply(to image: inout RGBImage) {
        guard !isIdentity else { return }
        var lowest: UInt8 = 0, highest: UInt8 = 255
        if let shift = channelShift, shift != 0 { (lowest, highest) = Self.range(of: image.pixels) }
        let lut = table(lowest: lowest, highest: highest)
        lut.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] = table[Int(p[i])] }
            }
        }
    }

    /// The lowest and highest sample.
    static func range(of samples: [UInt8]) -> (UInt8, UInt8) {
        samples.withUnsafeBufferPointer { p in
            var lo: UInt8 = 255, hi: UInt8 = 0
            for v in p { lo = min(lo, v); hi = max(hi, v) }
            return (lo, hi)
        }
    }
}
