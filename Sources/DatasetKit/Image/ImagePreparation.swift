import Foundation

/// Everything that turns an image file into the numbers a network reads, as one value: the
/// decode settings that change pixels (the colour under transparency, EXIF orientation, JPEG
/// DCT reduction), the resize, and the normalisation.
///
/// `pack` records it whole in `manifest.json`, `train` copies it into `model.json`, and `pack`,
/// `train`, `evaluate` and `predict` all apply this one value, so a model is served exactly as
/// it was trained. The limits on what a file may cost to read (`InputLimits`) are not part of
/// it: they refuse files but never change a pixel.
public struct ImagePreparation: Sendable, Hashable, Codable {
    /// Colour transparent pixels are composited over (`--background`).
    public var background: RGBColor
    /// Turn JPEGs upright as their EXIF orientation tag says (off: `--ignore-orientation`).
    public var applyOrientation: Bool
    /// Let JPEGs decode at a reduced DCT scale while the resize still only shrinks (off:
    /// `--full-decode`). Never with the `nearest` filter, whose output must be source pixels.
    public var dctReduction: Bool
    /// How images are fitted to the size.
    public var resize: ResizeSpec
    /// What turns the pixels into network inputs.
    public var normalization: Normalization

    public init(resize: ResizeSpec, normalization: Normalization = .rescale, background: RGBColor = .white,
                applyOrientation: Bool = true, dctReduction: Bool = true) {
        self.background = background
        self.applyOrientation = applyOrientation
        self.dctReduction = dctReduction
        self.resize = resize
        self.normalization = normalization
    }

    /// The preparation that `decode`'s pixel settings (background, orientation) give.
    public init(resize: ResizeSpec, decode: DecodeOptions, dctReduction: Bool = true, normalization: Normalization = .rescale) {
        self.init(resize: resize, normalization: normalization, background: decode.background,
                  applyOrientation: decode.applyOrientation, dctReduction: dctReduction)
    }

    /// How to decode a file for this preparation: its pixel settings, `limits`, and as much DCT
    /// reduction as the resize allows.
    public func decodeOptions(limits: InputLimits = InputLimits()) -> DecodeOptions {
        DecodeOptions(background: background, applyOrientation: applyOrientation,
                      reduceTo: dctReduction && resize.filter != .nearest ? resize.minimumSourceSize : nil,
                      maxPixels: limits.maxPixels, maxFileBytes: limits.maxFileBytes, maxJPEGScans: limits.maxJPEGScans)
    }

    /// An image file's bytes decoded and resized: the RGB pixels `pack` stores and `predict`
    /// feeds the model (normalisation comes later, from `normalization`).
    public func prepare(_ bytes: [UInt8], limits: InputLimits = InputLimits()) throws(ImageError) -> DecodedImage {
        var decoded = try ImageDecoder.decode(bytes, options: decodeOptions(limits: limits))
        try limits.checkResize(resize, of: PixelSize(width: decoded.image.width, height: decoded.image.height))
        decoded.image = decoded.image.resized(resize)
        return decoded
    }

    /// Why this preparation cannot give the `size` images a pack or a model holds, as a field
    /// (relative to the preparation: `resize.size`, `normalization`) and a reason; nil when it can.
    public func problem(size: PixelSize) -> (field: String, reason: String)? {
        if let reason = InputLimits.outputSizeProblem(resize.size) { return ("resize.size", reason) }
        // `shorter` gives every image its own size; packs and models have one.
        guard resize.mode != .shorter else { return ("resize.mode", "shorter gives each image its own size, not \(size)") }
        guard resize.size == size else { return ("resize.size", "\(resize.size), but the images are \(size)") }
        if let reason = normalization.problem { return ("normalization", reason) }
        return nil
    }

    /// The first setting in which `other` prepares images differently, with its value here and
    /// there (`("background", "#000000", "#ffffff")`); nil when the two give the same numbers.
    public func difference(from other: ImagePreparation) -> (field: String, this: String, other: String)? {
        func text<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
        let settings: [(String, String, String)] = [
            ("background", background.description, other.background.description),
            ("applyOrientation", "\(applyOrientation)", "\(other.applyOrientation)"),
            ("dctReduction", "\(dctReduction)", "\(other.dctReduction)"),
            ("resize", text(resize), text(other.resize)),
            ("normalization", text(normalization), text(other.normalization)),
        ]
        return settings.first { $0.1 != $0.2 }.map { (field: $0.0, this: $0.1, other: $0.2) }
    }
}
