import CTurboJPEG

/// Decodes JPEG with TurboJPEG: baseline, progressive, grayscale, CMYK and YCCK, into RGB8,
/// optionally at a reduced DCT scale, then applies the EXIF orientation.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws(ImageError) -> DecodedImage {
        try TurboJPEGHandles.decompressors.withHandle { (handle) throws(ImageError) -> DecodedImage in
            let header = try readHeader(handle, bytes, options: options)
            let (base, size) = (header.base, header.size)
            var warning: String? = nil
            let image: RGBImage
            if header.isCMYK {
                image = try decodeCMYK(handle, base, size, header.stored, flags: decodeFlags(options), inverted: hasAdobeMarker(bytes),
                                       endsWithEOI: endsWithEOI(bytes), warning: &warning)
            } else {
                var status: Int32 = 0
                image = RGBImage(width: header.scaled.width, height: header.scaled.height) { pixels in
                    status = tjDecompress2(handle, base, size, pixels.baseAddress, Int32(header.scaled.width), 0,
                                           Int32(header.scaled.height), Int32(TJPF_RGB.rawValue), decodeFlags(options))
                }
                if status != 0 { try classify(handle, endsWithEOI: endsWithEOI(bytes), warning: &warning) }
            }
            // Recoverable warnings (e.g. extraneous bytes between markers) are accepted, as Pillow does.
            let upright = header.orientation == .up ? image : image.oriented(header.orientation)
            return DecodedImage(image: upright, format: .jpeg, colorModel: header.model,
                                originalSize: header.uprightSize, orientation: header.orientation)
        }
    }

    /// What the header says, and the decode size chosen from it.
    struct Header {
        var base: UnsafePointer<UInt8>
        var size: UInt
        var stored: PixelSize
        var scaled: PixelSize
        var scale: tjscalingfactor
        var subsampling: Int32
        var model: ColorModel
        var orientation: ExifOrientation

        var isCMYK: Bool { model.channels == .cmyk || model.channels == .ycck }
        var uprightSize: PixelSize { orientation.swapsAxes ? stored.transposed : stored }
    }

    /// Reads and checks the header, and picks the DCT scale for `options.reduceTo`.
    static func readHeader(_ handle: tjhandle, _ bytes: UnsafeRawBufferPointer,
                           options: DecodeOptions) throws(ImageError) -> Header {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw .empty }
        let size = UInt(bytes.count)
        if let frame = JPEGFrameHeader(bytes) {
            // TurboJPEG here reads 8-bit JPEGs only and calls a valid 12-bit one corrupt.
            if frame.precision != 8 { throw .unsupportedPrecision(bits: frame.precision) }
            let limit = options.limits.maxJPEGScans
            if frame.isProgressive, JPEGScanCount.count(bytes, upTo: limit) > limit { throw .tooManyScans(limit: limit) }
        }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(handle, base, size, &width, &height, &subsampling, &colorspace) == 0 else {
            let message = TurboJPEGHandles.message(handle)
            if !endsWithEOI(bytes) || message.localizedLowercase.contains("premature") {
                throw .truncated(format: .jpeg, detail: message + " (the file ends before its end-of-image marker)")
            }
            throw .corrupt(format: .jpeg, detail: message)
        }
        guard width > 0, height > 0 else {
            // A file cut inside its header can leave TurboJPEG with no frame size at all.
            if !endsWithEOI(bytes) { throw .truncated(format: .jpeg, detail: "the file ends inside its header") }
            throw .corrupt(format: .jpeg, detail: "zero image size in header")
        }
        try options.limits.checkPixels(width: Int(width), height: Int(height), format: .jpeg)
        let orientation = options.applyOrientation ? ExifReader.orientation(inJPEG: bytes) : .up
        let stored = PixelSize(width: Int(width), height: Int(height))
        let model = colorModel(colorspace: colorspace)
        var header = Header(base: base, size: size, stored: stored, scaled: stored, scale: tjscalingfactor(num: 1, denom: 1),
                            subsampling: subsampling, model: model, orientation: orientation)
        if let target = options.reduceTo, !header.isCMYK {
            let storedTarget = orientation.swapsAxes ? target.transposed : target
            header.scale = smallestScale(for: stored, keepingAtLeast: storedTarget)
            header.scaled = PixelSize(width: Int(dataset_tj_scaled(width, header.scale)),
                                      height: Int(dataset_tj_scaled(height, header.scale)))
        }
        return header
    }

    /// Flags of every decompression: TurboJPEG's own scan limit (fixed at 500) as a second
    /// guard behind `JPEGScanCount`, unless the user allowed more scans than that.
    static func decodeFlags(_ options: DecodeOptions) -> Int32 {
        options.limits.maxJPEGScans <= InputLimits.turboJPEGScanLimit ? TJFLAG_LIMITSCANS : 0
    }

    /// Sorts a failed TurboJPEG call into a recoverable warning or an error.
    static func classify(_ handle: tjhandle, endsWithEOI: Bool, warning: inout String?) throws(ImageError) {
        let message = TurboJPEGHandles.message(handle)
        // TJFLAG_LIMITSCANS reports only through its message: "Progressive JPEG image has more than 500 scans".
        if message.contains("more than \(InputLimits.turboJPEGScanLimit) scans") {
            throw .tooManyScans(limit: InputLimits.turboJPEGScanLimit)
        }
        let recoverable = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
        // A file that ends early decodes with grey padding; Pillow refuses it, and so do we.
        if message.localizedLowercase.contains("premature end") || (!recoverable && !endsWithEOI) {
            throw .truncated(format: .jpeg, detail: message + (endsWithEOI ? "" : " (the file ends before its end-of-image marker)"))
        }
        guard recoverable else { throw .corrupt(format: .jpeg, detail: message) }
        warning = message
    }

    private static func colorModel(colorspace: Int32) -> ColorModel {
        switch UInt32(colorspace) {
        case TJCS_GRAY.rawValue: return ColorModel(.gray)
        case TJCS_CMYK.rawValue: return ColorModel(.cmyk)
        case TJCS_YCCK.rawValue: return ColorModel(.ycck)
        default: return ColorModel(.rgb)
        }
    }

    /// The smallest of the 1/2, 1/4 and 1/8 DCT scales that keeps `size` at least `minimum`.
    /// Only these: libjpeg-turbo has SIMD inverse DCTs for them, while its other M/8 scales
    /// decode slower than full size (measured: 7/8 takes 1.9x, 5/8 1.3x the full-size time).
    static func smallestScale(for size: PixelSize, keepingAtLeast minimum: PixelSize) -> tjscalingfactor {
        var best = tjscalingfactor(num: 1, denom: 1)
        for denom: Int32 in [2, 4, 8] {
            let f = tjscalingfactor(num: 1, denom: denom)
            guard Int(dataset_tj_scaled(Int32(size.width), f)) >= minimum.width,
                  Int(dataset_tj_scaled(Int32(size.height), f)) >= minimum.height else { break }
            best = f
        }
        return best
    }

    /// CMYK/YCCK: TurboJPEG gives the stored ink values; we convert as Pillow does
    /// (R = (255-C)(255-K)/255), after undoing Adobe's inverted storage.
    private static func decodeCMYK(_ handle: tjhandle, _ base: UnsafePointer<UInt8>, _ size: UInt,
                                   _ dims: PixelSize, flags: Int32, inverted: Bool, endsWithEOI: Bool, warning: inout String?) throws(ImageError) -> RGBImage {
        var cmyk = [UInt8](repeating: 0, count: dims.pixelCount * 4)
        let status = cmyk.withUnsafeMutableBufferPointer { buffer in
            tjDecompress2(handle, base, size, buffer.baseAddress, Int32(dims.width), 0, Int32(dims.height),
                          Int32(TJPF_CMYK.rawValue), flags)
        }
        if status != 0 { try classify(handle, endsWithEOI: endsWithEOI, warning: &warning) }
        return cmyk.withUnsafeBufferPointer { src in
            RGBImage(width: dims.width, height: dims.height) { dst in
                for i in 0..<dims.pixelCount {
                    var c = Int(src[i * 4]), m = Int(src[i * 4 + 1]), y = Int(src[i * 4 + 2]), k = Int(src[i * 4 + 3])
                    if inverted { c = 255 - c; m = 255 - m; y = 255 - y; k = 255 - k }
                    let nk = 255 - k
                    dst[i * 3] = UInt8(((255 - c) * nk + 127) / 255)
                    dst[i * 3 + 1] = UInt8(((255 - m) * nk + 127) / 255)
                    dst[i * 3 + 2] = UInt8(((255 - y) * nk + 127) / 255)
                }
            }
        }
    }

    /// True when the file ends with the EOI marker (allowing trailing padding that some
    /// cameras add). Its absence tells a cut-off download from a damaged one.
    static func endsWithEOI(_ jpeg: UnsafeRawBufferPointer) -> Bool {
        var end = jpeg.count
        while end > 2, jpeg[end - 1] == 0x00 || jpeg[end - 1] == 0x0A || jpeg[end - 1] == 0x20 { end -= 1 }
        return end >= 4 && jpeg[end - 2] == 0xFF && jpeg[end - 1] == 0xD9
    }

    /// Adobe's APP14 marker: CMYK files carrying it (nearly all, from Photoshop) store inverted ink.
    static func hasAdobeMarker(_ jpeg: UnsafeRawBufferPointer) -> Bool {
        var offset = 2
        while offset + 4 <= jpeg.count, jpeg[offset] == 0xFF {
            let marker = jpeg[offset + 1]
            if marker == 0xDA || marker == 0xD9 { return false }
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            if marker == 0xEE, length >= 7, offset + 9 <= jpeg.count,
               Array(jpeg[(offset + 4)..<(offset + 9)]) == Array("Adobe".utf8) {
                return true
            }
            offset += 2 + length
        }
        return false
    }
}
