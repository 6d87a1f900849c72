import CTurboJPEG
@testable import DatasetKit

/// JPEG variants written with TurboJPEG directly (grayscale, progressive, CMYK), and EXIF
/// segments spliced in, to test the decoder on each kind of file.
enum JPEGFixtures {
    enum Kind { case baseline420, baseline444, grayscale, progressive }

    static func encode(_ image: RGBImage, kind: Kind, quality: Int = 95) -> [UInt8] {
        let subsampling: Int32
        var flags: Int32 = 0
        switch kind {
        case .baseline420: subsampling = Int32(TJSAMP_420.rawValue)
        case .baseline444: subsampling = Int32(TJSAMP_444.rawValue)
        case .grayscale: subsampling = Int32(TJSAMP_GRAY.rawValue)
        case .progressive: subsampling = Int32(TJSAMP_420.rawValue); flags = TJFLAG_PROGRESSIVE
        }
        return compress(image.pixels, width: image.width, height: image.height, pixelFormat: Int32(TJPF_RGB.rawValue),
                        subsampling: subsampling, quality: quality, flags: flags)
    }

    /// A YCCK JPEG (with TurboJPEG's Adobe marker) storing `inks` (C, M, Y, K per pixel) inverted,
    /// as Photoshop does.
    static func adobeCMYK(inks: [UInt8], width: Int, height: Int) -> [UInt8] {
        compress(inks.map { 255 - $0 }, width: width, height: height, pixelFormat: Int32(TJPF_CMYK.rawValue),
                 subsampling: Int32(TJSAMP_444.rawValue), quality: 100, flags: 0)
    }

    private static func compress(_ pixels: [UInt8], width: Int, height: Int, pixelFormat: Int32,
                                 subsampling: Int32, quality: Int, flags: Int32) -> [UInt8] {
        let handle = tjInitCompress()!
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = pixels.withUnsafeBufferPointer {
            tjCompress2(handle, $0.baseAddress, Int32(width), 0, Int32(height), pixelFormat, &buffer, &size,
                        subsampling, Int32(quality), flags)
        }
        precondition(status == 0, String(cString: tjGetErrorStr2(handle)))
        defer { tjFree(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    /// `jpeg` with an APP1 Exif segment holding `orientation` inserted after SOI, in big- or
    /// little-endian TIFF layout.
    static func withOrientation(_ jpeg: [UInt8], _ orientation: Int, bigEndian: Bool = true) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8), UInt8(v & 0xff)] : [UInt8(v & 0xff), UInt8(v >> 8)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? u16(v >> 16) + u16(v & 0xffff) : u16(v & 0xffff) + u16(v >> 16) }
        var tiff: [UInt8] = bigEndian ? [0x4D, 0x4D] : [0x49, 0x49]
        tiff += u16(42) + u32(8)
        // IFD0 with two entries: an unrelated tag first (ImageWidth), then Orientation.
        tiff += u16(2)
        tiff += u16(0x0100) + u16(3) + u32(1) + u16(640) + [0, 0]
        tiff += u16(0x0112) + u16(3) + u32(1) + u16(orientation) + [0, 0]
        tiff += u32(0)
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xff)] + payload
        return Array(jpeg[0..<2]) + segment + Array(jpeg[2...])
    }
}
