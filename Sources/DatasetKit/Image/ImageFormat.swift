/// The container formats we read, detected from the bytes rather than the file name.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case jpeg, png, bmp, pnm

    /// A short human name.
    public var name: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .bmp: "BMP"
        case .pnm: "PPM/PGM"
        }
    }

    /// The extension we write for this format.
    public var preferredExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .bmp: "bmp"
        case .pnm: "ppm"
        }
    }

    /// File extensions (lower case) that conventionally hold this format. Keras'
    /// `flow_from_directory` accepts png, jpg, jpeg, bmp, ppm; we add a few common spellings.
    public var extensions: Set<String> {
        switch self {
        case .jpeg: ["jpg", "jpeg", "jpe", "jfif"]
        case .png: ["png"]
        case .bmp: ["bmp", "dib"]
        case .pnm: ["ppm", "pgm", "pnm"]
        }
    }

    /// The format whose extension this is, if any.
    public init?(fileExtension: String) {
        let ext = fileExtension.lowercased()
        guard let match = ImageFormat.allCases.first(where: { $0.extensions.contains(ext) }) else { return nil }
        self = match
    }

    /// Detects the format from the leading bytes (magic numbers), or nil.
    public static func detect<Bytes: Collection>(_ bytes: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        var it = bytes.makeIterator()
        var lead: [UInt8] = []
        lead.reserveCapacity(8)
        while lead.count < 8, let b = it.next() { lead.append(b) }
        if lead.count >= 3, lead[0] == 0xFF, lead[1] == 0xD8, lead[2] == 0xFF { return .jpeg }
        if lead.count >= 8, lead == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        if lead.count >= 2, lead[0] == 0x42, lead[1] == 0x4D { return .bmp }  // "BM"
        // Binary (P5/P6) and ASCII (P2/P3) greymaps and pixmaps.
        if lead.count >= 3, lead[0] == 0x50, [0x32, 0x33, 0x35, 0x36].contains(lead[1]),
           [0x20, 0x09, 0x0A, 0x0D, 0x23].contains(lead[2]) { return .pnm }
        return nil
    }
}
