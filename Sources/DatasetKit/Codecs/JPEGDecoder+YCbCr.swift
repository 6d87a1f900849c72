import CTurboJPEG

extension JPEGDecoder {
    /// Decodes to the file's own planes (no chroma upsampling, no colour conversion), upright
    /// and possibly DCT-reduced, or nil for CMYK/YCCK files, which only decode to RGB.
    static func decodeYCbCr(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageError) -> DecodedYCbCr? {
        try TurboJPEGHandles.decompressors.withHandle { (handle) throws(ImageError) -> DecodedYCbCr? in
            let header = try readHeader(handle, bytes, options: options)
            if header.isCMYK { return nil }
            let w = Int32(header.scaled.width), h = Int32(header.scaled.height)
            let gray = header.subsampling == Int32(TJSAMP_GRAY.rawValue)
            let components = gray ? 1 : 3
            var planes: [[UInt8]] = []
            var dims: [PixelSize] = []
            for c in 0..<components {
                let pw = Int(tjPlaneWidth(Int32(c), w, header.subsampling))
                let ph = Int(tjPlaneHeight(Int32(c), h, header.subsampling))
                guard pw > 0, ph > 0 else {
                    throw .unsupported(format: .jpeg, detail: "unusual chroma layout (subsampling code \(header.subsampling))")
                }
                dims.append(PixelSize(width: pw, height: ph))
                planes.append([UInt8](repeating: 0, count: pw * ph))
            }
            // TurboJPEG pads the luma plane to whole chroma samples (386 columns for a 385-pixel
            // image); decode at that stride, then keep only the picture's own columns and rows.
            var strides = dims.map { Int32($0.width) }
            let status = withPlanePointers(&planes) { pointers in
                tjDecompressToYUVPlanes(handle, header.base, header.size, pointers, w, &strides, h, decodeFlags(options))
            }
            var warning: String? = nil
            if status != 0 { try classify(handle, endsWithEOI: endsWithEOI(bytes), warning: &warning) }
            var made = zip(planes, dims).map { Plane(width: $1.width, height: $1.height, samples: $0) }
            made[0] = made[0].cropped(toWidth: Int(w), height: Int(h))
            let image = YCbCrImage(luma: made[0], chroma: Array(made.dropFirst()))
            return DecodedYCbCr(image: header.orientation == .up ? image : image.oriented(header.orientation),
                                colorModel: header.model, originalSize: header.uprightSize,
                                orientation: header.orientation)
        }
    }

    /// Calls `body` with a C array of pointers to the planes' storage (Y, or Y, Cb, Cr).
    static func withPlanePointers<R>(_ planes: inout [[UInt8]],
                                     _ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> R) -> R {
        var y = planes[0], cb = planes.count > 1 ? planes[1] : [], cr = planes.count > 2 ? planes[2] : []
        planes = []  // hand the storage over without copying
        let result = y.withUnsafeMutableBufferPointer { yp in
            cb.withUnsafeMutableBufferPointer { cbp in
                cr.withUnsafeMutableBufferPointer { crp in
                    var pointers = [yp.baseAddress, cbp.baseAddress, crp.baseAddress]
                    return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
                }
            }
        }
        planes = cb.isEmpty ? [y] : [y, cb, cr]
        return result
    }
}
