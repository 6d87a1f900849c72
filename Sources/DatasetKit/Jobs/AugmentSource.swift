/// A source of `dataset augment`, decoded once for all its outputs: upright, at the output
/// size, as the JPEG's own planes when the outputs are JPEGs (no colour conversion either
/// way), and as RGB when some output needs it (PNG output, a channel shift, a source that is
/// not a YCbCr JPEG).
struct AugmentSource {
    var bytes: [UInt8]
    var planes: YCbCrImage?
    /// Decoded up front when some output needs it (see `AugmentJob.rgb(of:)`).
    var image: RGBImage?
    var format: ImageFormat
    /// True when the file's own bytes are the original's output as they are.
    var copyable: Bool
    var warning: String?

    var size: PixelSize {
        planes.map { PixelSize(width: $0.width, height: $0.height) } ?? PixelSize(width: image!.width, height: image!.height)
    }
}

extension AugmentJob {
    /// Reads and decodes the source at `path`: to planes when JPEG goes to JPEG (resized plane by
    /// plane with `--size`, as `resize` does), to RGB when `needsRGB` or the planes are not to be had.
    func prepare(_ path: String, needsRGB: Bool) throws -> AugmentSource {
        let bytes = try FileIO.readImage(path, limits: decode.limits)
        let target = output.encodeFormat(forSource: path)
        if case .jpeg(_, let subsampling) = target, resize.map(YCbCrImage.supports) ?? true,
           let decoded = try ImageDecoder.decodeYCbCr(bytes, options: decodeOptions) {
            if let resize { try decode.limits.checkResize(resize, of: PixelSize(width: decoded.image.width, height: decoded.image.height)) }
            let planes = resize.map { decoded.image.resized($0, subsampling: subsampling) } ?? decoded.image
            return AugmentSource(bytes: bytes, planes: planes, image: needsRGB ? try decodeRGB(bytes).image : nil, format: .jpeg,
                                 copyable: resize == nil && decoded.orientation == .up,
                                 warning: ResizeJob.misnamedWarning(path: path, format: .jpeg))
        }
        let decoded = try decodeRGB(bytes)
        return AugmentSource(bytes: bytes, planes: nil, image: decoded.image, format: decoded.format,
                             copyable: resize == nil && decoded.orientation == .up && decoded.format == target.imageFormat,
                             warning: ResizeJob.misnamedWarning(path: path, format: decoded.format))
    }

    /// The source's RGB pixels, decoded now if `prepare` did not.
    func rgb(of source: AugmentSource) throws -> RGBImage {
        try source.image ?? decodeRGB(source.bytes).image
    }

    /// `bytes` decoded to RGB (DCT-reduced as far as `--size` allows) and resized to the output size.
    private func decodeRGB(_ bytes: [UInt8]) throws -> DecodedImage {
        var decoded = try ImageDecoder.decode(bytes, options: decodeOptions)
        if let resize {
            try decode.limits.checkResize(resize, of: PixelSize(width: decoded.image.width, height: decoded.image.height))
            decoded.image = decoded.image.resized(resize)
        }
        return decoded
    }

    private var decodeOptions: DecodeOptions {
        var options = decode
        if let resize, resize.filter != .nearest { options.reduceTo = resize.minimumSourceSize }
        return options
    }
}

extension YCbCrImage {
    /// True when the chroma planes are what a JPEG of `subsampling` stores.
    func isLaidOut(for subsampling: ChromaSubsampling) -> Bool {
        let f = subsampling == .s420 ? 2 : 1
        return chroma.count == 2 && chroma.allSatisfy { $0.width == (width + f - 1) / f && $0.height == (height + f - 1) / f }
    }
}
