import CTurboJPEG

/// Chroma subsampling for JPEG output.
public enum ChromaSubsampling: String, Sendable, Hashable, CaseIterable, Codable {
    /// Half-resolution chroma in both directions: the default of Pillow, OpenCV and cameras.
    case s420 = "4:2:0"
    /// Full-resolution chroma: larger files, sharper colour edges.
    case s444 = "4:4:4"

    var turbo: Int32 { Int32(self == .s420 ? TJSAMP_420.rawValue : TJSAMP_444.rawValue) }
}

/// Encodes baseline JPEG with TurboJPEG, from RGB8 or from YCbCr planes.
enum JPEGEncoder {
    static func encode(_ image: RGBImage, quality: Int, subsampling: ChromaSubsampling) throws(ImageError) -> [UInt8] {
        try compress(width: image.width, height: image.height, subsampling: subsampling) { handle, dst, written in
            image.pixels.withUnsafeBufferPointer { src in
                tjCompress2(handle, src.baseAddress, Int32(image.width), 0, Int32(image.height),
                            Int32(TJPF_RGB.rawValue), &dst, &written, subsampling.turbo, Int32(quality), TJFLAG_NOREALLOC)
            }
        }
    }

    /// Encodes planes laid out for `subsampling` (chroma at ceil(w/2) x ceil(h/2) for 4:2:0).
    static func encode(_ image: YCbCrImage, quality: Int, subsampling: ChromaSubsampling) throws(ImageError) -> [UInt8] {
        precondition(image.chroma.count == 2, "JPEG output is always three-component (RGB)")
        let (w, h) = (Int32(image.width), Int32(image.height))
        for (i, plane) in image.chroma.enumerated() {
            precondition(Int(tjPlaneWidth(Int32(i + 1), w, subsampling.turbo)) == plane.width &&
                         Int(tjPlaneHeight(Int32(i + 1), h, subsampling.turbo)) == plane.height,
                         "chroma planes do not match \(subsampling.rawValue)")
        }
        // TurboJPEG reads the luma plane padded to whole chroma samples (38x30 for a 37x29
        // 4:2:0 image), past the end of an unpadded one: the output then depended on whatever
        // followed the buffer and differed from run to run. Give it the padded plane.
        let luma = image.luma.padded(toWidth: Int(tjPlaneWidth(0, w, subsampling.turbo)),
                                     height: Int(tjPlaneHeight(0, h, subsampling.turbo)))
        var strides: [Int32] = [Int32(luma.width), Int32(image.chroma[0].width), Int32(image.chroma[1].width)]
        return try compress(width: image.width, height: image.height, subsampling: subsampling) { handle, dst, written in
            luma.samples.withUnsafeBufferPointer { y in
                image.chroma[0].samples.withUnsafeBufferPointer { cb in
                    image.chroma[1].samples.withUnsafeBufferPointer { cr in
                        var planes: [UnsafePointer<UInt8>?] = [y.baseAddress, cb.baseAddress, cr.baseAddress]
                        return tjCompressFromYUVPlanes(handle, &planes, w, &strides, h, subsampling.turbo,
                                                       &dst, &written, Int32(quality), TJFLAG_NOREALLOC)
                    }
                }
            }
        }
    }

    /// Runs a TurboJPEG compression into a buffer of TurboJPEG's worst-case size (NOREALLOC),
    /// returning the bytes written.
    private static func compress(width: Int, height: Int, subsampling: ChromaSubsampling,
                                 _ call: (tjhandle, inout UnsafeMutablePointer<UInt8>?, inout UInt) -> Int32) throws(ImageError) -> [UInt8] {
        let capacity = Int(tjBufSize(Int32(width), Int32(height), subsampling.turbo))
        var failure: String? = nil
        let output = TurboJPEGHandles.compressors.withHandle { handle in
            [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                var dst: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
                var written = UInt(capacity)
                if call(handle, &dst, &written) != 0 {
                    failure = TurboJPEGHandles.message(handle)
                    written = 0
                }
                count = Int(written)
            }
        }
        if let failure { throw .encodeFailed(format: .jpeg, detail: failure) }
        return output
    }
}
