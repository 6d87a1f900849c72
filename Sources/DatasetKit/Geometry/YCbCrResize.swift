extension Plane {
    /// The `source` rectangle of this plane resampled to `size`.
    func resampled(_ source: SourceRect, to size: PixelSize, filter: ResizeFilter) -> Plane {
        let wx = ResampleWeights(sourceStart: source.x, sourceLength: source.width, sourceSize: width,
                                 outputCount: size.width, filter: filter)
        let wy = ResampleWeights(sourceStart: source.y, sourceLength: source.height, sourceSize: height,
                                 outputCount: size.height, filter: filter)
        let out = samples.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: size.pixelCount) { dst, count in
                Resampler.resample(src.baseAddress!, width: width, channels: 1, wx: wx, wy: wy,
                                   into: dst.baseAddress!, canvasWidth: size.width, offsetX: 0, offsetY: 0)
                count = size.pixelCount
            }
        }
        return Plane(width: size.width, height: size.height, samples: out)
    }
}

extension YCbCrImage {
    /// True when `spec` can be applied plane by plane: every mode but `pad`, whose letterbox
    /// offset may fall between two chroma samples.
    public static func supports(_ spec: ResizeSpec) -> Bool { spec.mode != .pad }

    /// This image resized as `spec` says, with chroma laid out for `subsampling` (the JPEG it
    /// will be written as). Grayscale input gets neutral chroma, so the output is an RGB JPEG.
    ///
    /// The geometry is planned on the luma plane; each chroma plane resamples the same region
    /// of the picture in its own coordinates, so the planes stay registered.
    public func resized(_ spec: ResizeSpec, subsampling: ChromaSubsampling) -> YCbCrImage {
        precondition(Self.supports(spec), "pad mode is resized in RGB")
        let plan = spec.plan(for: PixelSize(width: width, height: height))
        let out = plan.content
        let y = luma.resampled(plan.source, to: out, filter: spec.filter)
        let outFactor = subsampling == .s420 ? 2 : 1
        let chromaSize = PixelSize(width: (out.width + outFactor - 1) / outFactor,
                                   height: (out.height + outFactor - 1) / outFactor)
        guard !chroma.isEmpty else {
            let neutral = Plane(width: chromaSize.width, height: chromaSize.height, value: 128)
            return YCbCrImage(luma: y, chroma: [neutral, neutral])
        }
        let (fx, fy) = chromaFactors
        // An odd output size makes the last chroma sample reach past the picture's edge by half
        // a luma pixel; stretch the source window by the same proportion.
        let spanX = Double(chromaSize.width * outFactor) / Double(out.width)
        let spanY = Double(chromaSize.height * outFactor) / Double(out.height)
        let source = SourceRect(x: plan.source.x / Double(fx), y: plan.source.y / Double(fy),
                                width: plan.source.width * spanX / Double(fx),
                                height: plan.source.height * spanY / Double(fy))
        return YCbCrImage(luma: y, chroma: chroma.map { $0.resampled(source, to: chromaSize, filter: spec.filter) })
    }
}
