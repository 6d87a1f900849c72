extension RGBImage {
    /// The upright image for a file stored with EXIF `orientation` (as Pillow's `exif_transpose`).
    public func oriented(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .up { return self }
        let size = Orientation.uprightSize(width: width, height: height, orientation)
        return pixels.withUnsafeBufferPointer { src in
            RGBImage(width: size.width, height: size.height) { dst in
                Orientation.remap(src, width: width, height: height, channels: 3, orientation, into: dst)
            }
        }
    }
}

extension Plane {
    /// This plane turned upright for EXIF `orientation`.
    public func oriented(_ orientation: ExifOrientation) -> Plane {
        if orientation == .up { return self }
        let size = Orientation.uprightSize(width: width, height: height, orientation)
        let out = samples.withUnsafeBufferPointer { src in
            [UInt8](unsafeUninitializedCapacity: width * height) { dst, count in
                Orientation.remap(src, width: width, height: height, channels: 1, orientation, into: dst)
                count = width * height
            }
        }
        return Plane(width: size.width, height: size.height, samples: out)
    }
}

extension YCbCrImage {
    /// Every plane turned upright for EXIF `orientation`.
    public func oriented(_ orientation: ExifOrientation) -> YCbCrImage {
        YCbCrImage(luma: luma.oriented(orientation), chroma: chroma.map { $0.oriented(orientation) })
    }
}

/// The pixel remapping behind the EXIF orientations, for any number of interleaved channels.
enum Orientation {
    static func uprightSize(width: Int, height: Int, _ orientation: ExifOrientation) -> PixelSize {
        orientation.swapsAxes ? PixelSize(width: height, height: width) : PixelSize(width: width, height: height)
    }

    static func remap(_ src: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int, channels: Int,
                      _ orientation: ExifOrientation, into dst: UnsafeMutableBufferPointer<UInt8>) {
        let out = uprightSize(width: w, height: h, orientation)
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
        let stepU = (du.0 + du.1 * w) * channels, stepV = (dv.0 + dv.1 * w) * channels
        let start = (origin.0 + origin.1 * w) * channels
        var d = 0
        for v in 0..<out.height {
            var s = start + v * stepV
            for _ in 0..<out.width {
                for c in 0..<channels { dst[d + c] = src[s + c] }
                d += channels
                s += stepU
            }
        }
    }
}
