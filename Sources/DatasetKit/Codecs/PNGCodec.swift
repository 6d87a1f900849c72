import CPNG

/// PNG reading and writing through libpng's classic API (via the small C layer in `CPNG`).
///
/// Decoding hands back exactly the values stored in the file, reduced and composited by value:
/// gAMA, sRGB, cHRM, iCCP and sBIT are ignored, so a PNG and the same pixels in any other format
/// give the same RGB8 image.
enum PNGCodec {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Width and height from IHDR, read directly so the pixel limit is enforced before libpng
    /// allocates anything or reads further chunks.
    static func headerSize(_ bytes: UnsafeRawBufferPointer) throws(ImageError) -> (width: Int, height: Int) {
        guard !bytes.isEmpty else { throw .empty }
        let lead = min(bytes.count, 8)
        guard bytes.prefix(lead).elementsEqual(signature.prefix(lead)) else {
            throw .corrupt(format: .png, detail: "the file does not start with the PNG signature")
        }
        guard bytes.count >= 8 + 8 + 13 else {
            throw .truncated(format: .png, detail: "the file is only \(bytes.count) bytes and ends before the IHDR header does")
        }
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
        }
        guard u32(12) == 0x4948_4452 /* "IHDR" */ else {
            throw .corrupt(format: .png, detail: "the first chunk is not IHDR")
        }
        guard u32(8) == 13 else {
            throw .corrupt(format: .png, detail: "the IHDR chunk has length \(u32(8)), not 13")
        }
        let width = u32(16), height = u32(20)
        guard width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw .corrupt(format: .png, detail: "IHDR size \(width)x\(height) is out of range")
        }
        return (Int(width), Int(height))
    }

    /// Turns a C-layer status into a Swift error carrying libpng's message.
    static func check(_ status: Int32, _ reader: OpaquePointer, size: Int) throws(ImageError) {
        switch status {
        case Int32(DATASET_PNG_OK.rawValue):
            return
        case Int32(DATASET_PNG_TRUNCATED.rawValue):
            throw .truncated(format: .png, detail: "the file (\(size) bytes) ends before the image data is complete")
        default:
            let message = String(cString: dataset_png_reader_message(reader))
            throw .corrupt(format: .png, detail: message.isEmpty ? "libpng rejected the data" : message)
        }
    }

    /// What the file held; tRNS counts as alpha because it was composited.
    static func colorModel(_ info: dataset_png_info) -> ColorModel {
        let trns = info.has_trns != 0
        let channels: ColorModel.Channels
        switch info.color_type {
        case 0: channels = trns ? .grayAlpha : .gray
        case 2: channels = trns ? .rgba : .rgb
        case 3: channels = trns ? .paletteAlpha : .palette
        case 4: channels = .grayAlpha
        default: channels = .rgba
        }
        return ColorModel(channels, bitDepth: Int(info.bit_depth))
    }
}
