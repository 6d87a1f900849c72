/// One 8-bit sample plane.
public struct Plane: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public var samples: [UInt8]

    public init(width: Int, height: Int, samples: [UInt8]) {
        precondition(width > 0 && height > 0 && samples.count == width * height, "plane size mismatch")
        self.width = width
        self.height = height
        self.samples = samples
    }

    /// The top-left `width` x `height` samples (dropping codec padding).
    func cropped(toWidth newWidth: Int, height newHeight: Int) -> Plane {
        if newWidth == width && newHeight == height { return self }
        precondition(newWidth <= width && newHeight <= height)
        var out = [UInt8]()
        out.reserveCapacity(newWidth * newHeight)
        for y in 0..<newHeight { out.append(contentsOf: samples[(y * width)..<(y * width + newWidth)]) }
        return Plane(width: newWidth, height: newHeight, samples: out)
    }

    /// This plane grown to `newWidth` x `newHeight`, the new columns and rows copies of the
    /// last ones (libjpeg extends an image to whole blocks the same way).
    func padded(toWidth newWidth: Int, height newHeight: Int) -> Plane {
        if newWidth == width && newHeight == height { return self }
        precondition(newWidth >= width && newHeight >= height)
        var out = [UInt8]()
        out.reserveCapacity(newWidth * newHeight)
        for y in 0..<height {
            let row = samples[(y * width)..<(y * width + width)]
            out.append(contentsOf: row)
            out.append(contentsOf: repeatElement(row.last!, count: newWidth - width))
        }
        let lastRow = Array(out[((height - 1) * newWidth)...])
        for _ in height..<newHeight { out.append(contentsOf: lastRow) }
        return Plane(width: newWidth, height: newHeight, samples: out)
    }

    /// A plane filled with one value.
    public init(width: Int, height: Int, value: UInt8) {
        self.init(width: width, height: height, samples: [UInt8](repeating: value, count: width * height))
    }
}

/// A JPEG's own colour representation: full-resolution luma (Y) and two chroma planes (Cb,
/// Cr), possibly at lower resolution, or luma alone for grayscale.
///
/// Resizing a JPEG into a JPEG in this form skips four full-resolution steps (chroma
/// upsampling and YCbCr→RGB in the decoder, RGB→YCbCr and chroma downsampling in the
/// encoder) and resamples 1.5 bytes per pixel instead of 3. The filters are linear, so the
/// result matches resizing in RGB up to rounding.
public struct YCbCrImage: Sendable, Equatable {
    public var luma: Plane
    /// Cb and Cr, or empty for grayscale.
    public var chroma: [Plane]

    public var width: Int { luma.width }
    public var height: Int { luma.height }

    public init(luma: Plane, chroma: [Plane]) {
        precondition(chroma.isEmpty || chroma.count == 2, "YCbCr has two chroma planes or none")
        self.luma = luma
        self.chroma = chroma
    }

    /// How many luma pixels one chroma sample spans, horizontally and vertically.
    public var chromaFactors: (x: Int, y: Int) {
        guard let cb = chroma.first else { return (1, 1) }
        return (Self.factor(luma.width, cb.width), Self.factor(luma.height, cb.height))
    }

    /// The whole-number factor relating a luma and chroma extent (`ceil(luma / f) == chroma`).
    static func factor(_ luma: Int, _ chroma: Int) -> Int {
        for f in [1, 2, 4] where (luma + f - 1) / f == chroma { return f }
        return max(1, Int((Double(luma) / Double(chroma)).rounded()))
    }
}
