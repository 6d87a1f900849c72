/// Writes one source image in the format an `ImageOutput` asks for: decoded (any format we read,
/// transparency composited over the background, palettes and gray expanded, EXIF applied) and
/// re-encoded as RGB; or, with `copySameFormat`, copied byte for byte (or hard-linked) when the
/// bytes already are the target format, so JPEGs suffer no second compression.
struct ImageConversion: Sendable {
    var output: ImageOutput
    var decode: DecodeOptions
    var copySameFormat: Bool = false
    var hardLink: Bool = false

    /// Reads `source`, writes `destination` atomically. Never throws: failures become outcomes.
    func write(source: String, destination: String) -> ItemOutcome {
        do {
            let bytes = try FileIO.readImage(source, limits: decode.limits)
            let target = output.encodeFormat(forSource: source)
            if copySameFormat, let format = ImageFormat.detect(bytes), format == target.imageFormat {
                if hardLink, (try? FileIO.linkAtomically(source, to: destination)) != nil {
                    return .done(warning: ResizeJob.misnamedWarning(path: source, format: format))
                }
                try FileIO.writeAtomically(bytes, to: destination)
                return .done(warning: ResizeJob.misnamedWarning(path: source, format: format))
            }
            let decoded = try ImageDecoder.decode(bytes, options: decode)
            try FileIO.writeAtomically(try ImageEncoder.encode(decoded.image, as: target), to: destination)
            return .done(warning: ResizeJob.misnamedWarning(path: source, format: decoded.format))
        } catch {
            return .failure(error)
        }
    }
}
