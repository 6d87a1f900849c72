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

    @Option(help: "Refuse images with more pixels than this (decompression-bomb guard).")
    var maxPixels: Int = 100_000_000

    func validate() throws {
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive (got \(maxPixels)).") }
    }

    var options: DecodeOptions {
        DecodeOptions(background: background, applyOrientation: !ignoreOrientation, maxPixels: maxPixels)
    }
}
