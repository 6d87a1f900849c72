import CTurboJPEG

/// Chroma subsampling for JPEG output.
public enum ChromaSubsampling: String, Sendable, Hashable, CaseIterable, Codable {
    /// Half-resolution chroma in both directions: the default of Pillow, OpenCV and cameras.
    case s420 = "4:2:0"
    /// Full-resolution chroma: larger files, sharper colour edges.
    case s444 = "4:4:4"

    var turbo: Int32 { Int32(self == .s420 ? TJSAMP_420.rawValue : TJSAMP_444.rawValue) }
}

/// Encodes RGB8 as baseline JPEG with TurboJPEG.
enum JPEGEncoder {
    static func encode(_ image: RGBImage, quality: Int, subsampling: ChromaSubsampling) throws(ImageError) -> [UInt8] {
        precondition((1...100).contains(quality), "JPEG quality must be 1...100")
        let capacity = Int(tjBufSize(Int32(image.width), Int32(image.height), subsampling.turbo))
        var output = [UInt8](repeating: 0, count: capacity)
        var written: UInt = UInt(capacity)
        var failure: String? = nil
        TurboJPEGHandles.compressors.withHandle { handle in
            image.pixels.withUnsafeBufferPointer { src in
                output.withUnsafeMutableBufferPointer { dst in
                    var dstBase: UnsafeMutablePointer<UInt8>? = dst.baseAddress
                    // NOREALLOC: the buffer is tjBufSize, TurboJPEG's own worst case.
                    let status = tjCompress2(handle, src.baseAddress, Int32(image.width), 0, Int32(image.height),
                                             Int32(TJPF_RGB.rawValue), &dstBase, &written, subsampling.turbo,
                                             Int32(quality), TJFLAG_NOREALLOC)
                    if status != 0 { failure = TurboJPEGHandles.message(handle) }
                }
            }
        }
        if let failure { throw .encodeFailed(format: .jpeg, detail: failure) }
        output.removeSubrange(Int(written)...)
        return output
    }
}
