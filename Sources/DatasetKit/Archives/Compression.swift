import CArchive

/// A compression an archive file can be wrapped in, recognised by its first bytes.
///
/// The reader picks the one decompressor itself instead of letting libarchive guess a chain of
/// them: libarchive 3.6 re-examines each decompressed stream for another compression without
/// bound, so a gzip nested in itself (a 293-byte file can do it) grows without end.
enum Compression: String, Sendable {
    case gzip, bzip2, xz, lzma, zstd, lz4, compress

    /// The compression `bytes` (the start of a stream) begins with, or `nil` for none we know.
    static func detect(_ bytes: UnsafeRawBufferPointer) -> Compression? {
        if let strong = detectStrong(bytes) { return strong }
        // lzma-alone has no magic: properties byte 0x5D (the usual lc=3 lp=0 pb=2), a dictionary
        // size of 2^n or 2^n + 2^(n-1) (as xz and lzma write), and an uncompressed size that is
        // unknown (all 0xFF) or below 2^56.
        if bytes.count >= 13, bytes[0] == 0x5D, bytes[12] == 0 || bytes[5..<13].allSatisfy({ $0 == 0xFF }) {
            let dictionary = lzmaDictionarySize(bytes)
            let high = dictionary == 0 ? 0 : UInt32(1) << (31 - dictionary.leadingZeroBitCount)
            if dictionary >= 4096, dictionary == high || dictionary == high + high / 2 { return .lzma }
        }
        return nil
    }

    /// The largest lzma-alone dictionary read. liblzma allocates the whole dictionary the header
    /// names, without a memory limit when libarchive reads lzma-alone (xz has one): a 17-byte file
    /// asking for 2 GiB found by fuzzing. xz and lzma presets use at most 64 MiB.
    static let maxLZMADictionary: UInt32 = 1 << 28

    /// The dictionary size an lzma-alone header (`bytes`, at least 5 of them) names.
    static func lzmaDictionarySize(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        (1...4).reduce(UInt32(0)) { $0 | UInt32(bytes[$1]) << (8 * UInt32($1 - 1)) }
    }

    /// Like `detect`, but only for magic numbers that cannot be mistaken for the start of a tar
    /// or zip: used to find compression nested in compression.
    static func detectStrong(_ bytes: UnsafeRawBufferPointer) -> Compression? {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && zip(bytes, magic).allSatisfy { $0 == $1 } }
        if starts([0x1F, 0x8B]) { return .gzip }
        if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if starts([0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
        if starts([0x1F, 0x9D]) { return .compress }
        if bytes.count >= 4, starts(Array("BZh".utf8)), (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[3]) {
            return .bzip2
        }
        return nil
    }

    /// libarchive's code for the filter that reads it (gzip is inflated with zlib instead).
    var libarchiveFilter: Int32 {
        switch self {
        case .gzip: 1  // ARCHIVE_FILTER_GZIP; not used
        case .bzip2: DS_ARCHIVE_FILTER_BZIP2
        case .xz: DS_ARCHIVE_FILTER_XZ
        case .lzma: DS_ARCHIVE_FILTER_LZMA
        case .zstd: DS_ARCHIVE_FILTER_ZSTD
        case .lz4: DS_ARCHIVE_FILTER_LZ4
        case .compress: DS_ARCHIVE_FILTER_COMPRESS
        }
    }
}
