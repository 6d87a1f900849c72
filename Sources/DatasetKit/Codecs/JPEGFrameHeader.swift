/// The frame header (SOFn marker) of a JPEG, found by walking the marker segments before the
/// first scan. Read before TurboJPEG sees the file, so that a valid JPEG this build cannot
/// decode (12-bit samples) is told apart from a damaged one.
struct JPEGFrameHeader: Equatable {
    /// The SOF marker's second byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless...
    var marker: UInt8
    /// Bits per sample (8 for nearly every JPEG; 12 or 16 for medical and camera-raw previews).
    var precision: Int

    /// Progressive DCT (SOF2, SOF6, SOF10, SOF14): the kind of file that may hold many scans.
    var isProgressive: Bool { [0xC2, 0xC6, 0xCA, 0xCE].contains(marker) }

    /// The first frame header of `jpeg`, or nil when the segments before the first scan hold
    /// none (or are damaged: TurboJPEG then reports what is wrong).
    init?(_ jpeg: UnsafeRawBufferPointer) {
        guard jpeg.count >= 4, jpeg[0] == 0xFF, jpeg[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 1 < jpeg.count {
            guard jpeg[offset] == 0xFF else { return nil }
            let marker = jpeg[offset + 1]
            switch marker {
            case 0xFF: offset += 1; continue                     // fill byte before a marker
            case 0x01, 0xD0...0xD7: offset += 2; continue          // markers without a length
            case 0xDA, 0xD9: return nil                            // a scan or the end before any frame
            default: break
            }
            guard offset + 4 <= jpeg.count else { return nil }
            let length = Int(jpeg[offset + 2]) << 8 | Int(jpeg[offset + 3])
            guard length >= 2 else { return nil }
            if Self.isFrame(marker) {
                guard length >= 3, offset + 5 <= jpeg.count else { return nil }
                self.marker = marker
                precision = Int(jpeg[offset + 4])
                return
            }
            offset += 2 + length
        }
        return nil
    }

    /// SOF0-SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range.
    static func isFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }
}
