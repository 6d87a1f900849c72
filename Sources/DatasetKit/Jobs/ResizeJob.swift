/// `dataset resize`: every image of a tree decoded, made RGB, resized and re-encoded into a
/// mirrored tree. The per-file work is a pure transformation plus one read and one atomic write.
public struct ResizeJob: Sendable {
    public var spec: ResizeSpec
    public var output: ImageOutput
    public var decode: DecodeOptions
    public var overwrite: Bool
    /// Let JPEGs decode at a reduced DCT scale when the result still only shrinks (default on;
    /// off for `nearest`, whose output must be source pixels).
    public var dctReduction: Bool

    public init(spec: ResizeSpec, output: ImageOutput = ImageOutput(), decode: DecodeOptions = DecodeOptions(),
                overwrite: Bool = false, dctReduction: Bool = true) {
        self.spec = spec
        self.output = output
        self.decode = decode
        self.overwrite = overwrite
        self.dctReduction = dctReduction
    }

    /// The images under `source` and the names they get under the destination.
    public func plan(_ tree: FileTree) -> [FileMapping] {
        OutputNaming.mirror(tree.images) { output.outputExtension(forSource: $0) }
    }

    /// Converts one file. Never throws: every failure becomes an outcome naming the reason.
    public func process(source: String, destination: String) -> ItemOutcome {
        if !overwrite && FileIO.exists(destination) { return .skipped }
        do {
            let bytes = try FileIO.readImage(source, limits: decode.limits)
            let options = preparation.decodeOptions(limits: decode.limits)
            let format = output.encodeFormat(forSource: source)
            // JPEG to JPEG stays in YCbCr: no colour conversion or chroma resampling at full size.
            if case .jpeg(let quality, let subsampling) = format, YCbCrImage.supports(spec),
               let decoded = try ImageDecoder.decodeYCbCr(bytes, options: options) {
                try decode.limits.checkResize(spec, of: PixelSize(width: decoded.image.width, height: decoded.image.height))
                let resized = decoded.image.resized(spec, subsampling: subsampling)
                try FileIO.writeAtomically(try ImageEncoder.encodeJPEG(resized, quality: quality, subsampling: subsampling),
                                           to: destination)
                return .done(warning: ResizeJob.misnamedWarning(path: source, format: .jpeg))
            }
            let decoded = try resizedImage(bytes)
            try FileIO.writeAtomically(try ImageEncoder.encode(decoded.image, as: format), to: destination)
            return .done(warning: ResizeJob.misnamedWarning(path: source, format: decoded.format))
        } catch {
            return .failure(error)
        }
    }

    /// The decode and resize settings as the one preparation value `pack` records.
    public var preparation: ImagePreparation {
        ImagePreparation(resize: spec, decode: decode, dctReduction: dctReduction)
    }

    /// The RGB path on its own: `bytes` decoded (DCT-reduced as far as the resize allows) and
    /// resized (`ImagePreparation.prepare`). What `resize` writes as PNG, and what `pack`
    /// stores, pixel for pixel.
    public func resizedImage(_ bytes: [UInt8]) throws(ImageError) -> DecodedImage {
        try preparation.prepare(bytes, limits: decode.limits)
    }

    /// A note when the bytes are not what the extension says (a PNG called `.jpg`).
    static func misnamedWarning(path: String, format: ImageFormat) -> String? {
        let ext = FileTree.pathExtension(path)
        guard let claimed = ImageFormat(fileExtension: ext), claimed != format else { return nil }
        return "misnamed: the .\(ext) file holds \(format.name) data (read as \(format.name))"
    }
}
