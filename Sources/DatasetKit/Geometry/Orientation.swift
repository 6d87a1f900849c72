extension RGBImage {
    /// The upright image for a file stored with EXIF `orientation` (as Pillow's `exif_transpose`).
    public func oriented(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .up { return self }
        let w = width, h = height
        let outW = orientation.swapsAxes ? h : w, outH = orientation.swapsAxes ? w : h
        // Source coordinates of output (u, v) are origin + u * du + v * dv, with du, dv unit steps.
        let (origin, du, dv): ((Int, Int), (Int, Int), (Int, Int))
        switch orientation {
        case .up: (origin, du, dv) = ((0, 0), (1, 0), (0, 1))
        case .upMirrored: (origin, du, dv) = ((w - 1, 0), (-1, 0), (0, 1))
        case .down: (origin, du, dv) = ((w - 1, h - 1), (-1, 0), (0, -1))
        case .downMirrored: (origin, du, dv) = ((0, h - 1), (1, 0), (0, -1))
        case .leftMirrored: (origin, du, dv) = ((0, 0), (0, 1), (1, 0))
        case .right: (origin, du, dv) = ((0, h - 1), (0, -1), (1, 0))
        case .rightMirrored: (origin, du, dv) = ((w - 1, h - 1), (0, -1), (-1, 0))
        case .left: (origin, du, dv) = ((w - 1, 0), (0, 1), (-1, 0))
        }
        let stepU = (du.0 + du.1 * w) * 3, stepV = (dv.0 + dv.1 * w) * 3
        let start = (origin.0 + origin.1 * w) * 3
        return pixels.withUnsafeBufferPointer { src in
            RGBImage(width: outW, height: outH) { dst in
                var d = 0
                for v in 0..<outH {
                    var s = start + v * stepV
                    for _ in 0..<outW {
                        dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                        d += 3; s += stepU
                    }
                }
            }
        }
    }
}
