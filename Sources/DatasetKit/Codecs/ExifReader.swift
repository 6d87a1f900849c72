/// Finds the EXIF orientation tag in a JPEG's APP1 segment without decoding anything else.
///
/// Every offset is bounds-checked: the segment comes from untrusted files.
enum ExifReader {
    /// The orientation stored in `jpeg`, or `.up` when there is none or it is malformed.
    static func orientation(inJPEG jpeg: UnsafeRawBufferPointer) -> ExifOrientation {
        var offset = 2  // after SOI
        while offset + 4 <= jpeg.count {
            guard jpeg[offset] == 0xFF else { return .up }
            let marker = jpeg[offset + 1]
            if marker == 0xFF { offset += 1; continue }  // fill byte
            // Standalone markers carry no length; SOS or EOI ends the header.
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { offset += 2; continue }
            if marker == 0xDA || marker == 0xD9 { return .up }
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            guard length >= 2, offset + 2 + length <= jpeg.count else { return .up }
            if marker == 0xE1 {
                let start = offset + 4, end = offset + 2 + length
                if let found = orientation(inAPP1: UnsafeRawBufferPointer(rebasing: jpeg[start..<end])) {
                    return found
                }
            }
            offset += 2 + length
        }
        return .up
    }

    /// Parses an APP1 payload (`Exif\0\0` + TIFF) for tag 0x0112 in IFD0.
    static func orientation(inAPP1 data: UnsafeRawBufferPointer) -> ExifOrientation? {
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]
        guard data.count >= 14, exifHeader.indices.allSatisfy({ data[$0] == exifHeader[$0] }) else { return nil }
        let tiff = UnsafeRawBufferPointer(rebasing: data[6...])
        let little: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let a = Int(tiff[at]), b = Int(tiff[at + 1])
            return little ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(little ? at : at + 2), let hi = u16(little ? at + 2 : at) else { return nil }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for index in 0..<min(entries, 512) {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 {
                // Type SHORT, count 1: the value sits in the first two bytes of the value field.
                guard u16(entry + 2) == 3, let value = u16(entry + 8) else { return nil }
                return ExifOrientation(rawValue: value)
            }
        }
        return nil
    }
}
