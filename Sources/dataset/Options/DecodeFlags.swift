import ArgumentParser
import DatasetKit

extension RGBColor: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}

/// How input images are read.
struct DecodeFlags: ParsableArguments {
    @Option(help: "Colour transparent pixels are composited over: a name (white, black, gray), #rrggbb or r,g,b.")
    var background: RGBColor = .white

    @Flag(help: "Ignore EXIF orientation tags (default: turn images upright as viewers do).")
    var ignoreOrientation = false

    @Option(help: "Refuse images with more pixels than this, decoded or as a resize's output (decompression-bomb guard).")
    var maxPixels: Int = InputLimits.defaultMaxPixels

    @Option(help: ArgumentHelp("Refuse image files larger than this, before reading them: bytes, or with K, M, G (powers of 1024) or KB, MB, GB (of 1000).",
                               valueName: "size"))
    var maxFileSize: String = "256MB"

    @Option(help: "Refuse progressive JPEGs with more scans than this (encoders write about 10; thousands stall the decoder).")
    var maxScans: Int = InputLimits.defaultMaxJPEGScans

    func validate() throws {
        guard maxScans > 0 else { throw ValidationError("--max-scans must be positive (got \(maxScans)).") }
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive (got \(maxPixels)).") }
        guard let bytes = ByteCount.parse(maxFileSize), bytes > 0, bytes <= Int64(Int.max) else {
            throw ValidationError("--max-file-size: give a positive size such as 500M or 2GB (got '\(maxFileSize)').")
        }
    }

    var options: DecodeOptions {
        DecodeOptions(background: background, applyOrientation: !ignoreOrientation, maxPixels: maxPixels,
                      maxFileBytes: ByteCount.parse(maxFileSize).map { Int($0) } ?? InputLimits.defaultMaxFileBytes,
                      maxJPEGScans: maxScans)
    }
}
