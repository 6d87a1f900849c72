/// The colour layout an image had in its file, before we converted it to RGB8.
///
/// Reported by `stats` and `clean` ("CMYK", "16-bit", "alpha"), so users know what was changed.
public struct ColorModel: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Channels: String, Sendable, Hashable, Codable {
        case gray, grayAlpha = "gray+alpha", rgb, rgba, palette, paletteAlpha = "palette+alpha", cmyk, ycck
    }
    public var channels: Channels
    /// Bits per sample in the file (8 for most photos, 16 for some PNGs, 1-4 for small palettes).
    public var bitDepth: Int

    public init(_ channels: Channels, bitDepth: Int = 8) {
        self.channels = channels
        self.bitDepth = bitDepth
    }

    /// True when the file was 8-bit RGB without alpha, i.e. nothing had to be converted.
    public var isPlainRGB8: Bool { channels == .rgb && bitDepth == 8 }

    public var hasAlpha: Bool { channels == .rgba || channels == .grayAlpha || channels == .paletteAlpha }

    public var description: String { bitDepth == 8 ? channels.rawValue : "\(channels.rawValue) \(bitDepth)-bit" }
}
