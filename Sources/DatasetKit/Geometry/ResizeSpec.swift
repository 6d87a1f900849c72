/// How an image is fitted to the requested size.
public enum ResizeMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Scale each axis to the target, ignoring aspect ratio (Keras' `target_size`).
    case stretch
    /// Scale the shorter side to cover the target and cut the centre (torchvision's
    /// `Resize` + `CenterCrop`).
    case crop
    /// Scale the longer side to fit and letterbox with a fill colour.
    case pad
    /// Scale the shorter side to the target's width, keeping aspect ratio (torchvision's `Resize(int)`).
    case shorter
}

/// A complete description of a resize: mode, target size, filter and letterbox fill.
public struct ResizeSpec: Sendable, Hashable, Codable {
    public var size: PixelSize
    public var mode: ResizeMode
    public var filter: ResizeFilter
    public var fill: RGBColor

    public init(size: PixelSize, mode: ResizeMode = .stretch, filter: ResizeFilter = .bilinear, fill: RGBColor = .black) {
        self.size = size
        self.mode = mode
        self.filter = filter
        self.fill = fill
    }

    /// The smallest upright decode size for which this resize still only shrinks: what a JPEG
    /// may be DCT-reduced to without losing detail the output could show.
    public var minimumSourceSize: PixelSize {
        switch mode {
        case .stretch, .crop: size
        case .pad: PixelSize(width: min(size.width, size.height), height: min(size.width, size.height))
        case .shorter: PixelSize(width: size.width, height: size.width)
        }
    }

    /// Where the pixels of a `source`-sized image go.
    public func plan(for source: PixelSize) -> ResizePlan {
        let sw = Double(source.width), sh = Double(source.height)
        let tw = Double(size.width), th = Double(size.height)
        let full = SourceRect(x: 0, y: 0, width: sw, height: sh)
        switch mode {
        case .stretch:
            return ResizePlan(source: full, content: size, canvas: size, offsetX: 0, offsetY: 0)
        case .crop:
            let scale = max(tw / sw, th / sh)
            let cw = min(sw, tw / scale), ch = min(sh, th / scale)
            let rect = SourceRect(x: (sw - cw) / 2, y: (sh - ch) / 2, width: cw, height: ch)
            return ResizePlan(source: rect, content: size, canvas: size, offsetX: 0, offsetY: 0)
        case .pad:
            let scale = min(tw / sw, th / sh)
            let content = PixelSize(width: max(1, min(size.width, Int((sw * scale).rounded()))),
                                    height: max(1, min(size.height, Int((sh * scale).rounded()))))
            return ResizePlan(source: full, content: content, canvas: size,
                              offsetX: (size.width - content.width) / 2, offsetY: (size.height - content.height) / 2)
        case .shorter:
            let scale = tw / min(sw, sh)
            let content = PixelSize(width: max(1, Int((sw * scale).rounded())), height: max(1, Int((sh * scale).rounded())))
            return ResizePlan(source: full, content: content, canvas: content, offsetX: 0, offsetY: 0)
        }
    }
}

/// A rectangle of the source image in continuous pixel coordinates.
public struct SourceRect: Sendable, Hashable {
    public var x, y, width, height: Double
}

/// The outcome of fitting: which source rectangle is resampled to `content` pixels, placed at
/// (`offsetX`, `offsetY`) on a `canvas` filled with the spec's fill colour.
public struct ResizePlan: Sendable, Hashable {
    public var source: SourceRect
    public var content: PixelSize
    public var canvas: PixelSize
    public var offsetX: Int
    public var offsetY: Int
}
