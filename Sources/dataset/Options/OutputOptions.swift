import ArgumentParser
import DatasetKit

extension OutputFormatChoice: ExpressibleByArgument {}
extension ChromaSubsampling: ExpressibleByArgument {}

/// How written images are encoded and whether existing outputs are replaced.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: jpg, png, or keep (the source's own format; BMP/PPM become PNG).")
    var format: OutputFormatChoice = .jpg

    @Option(help: "JPEG quality, 1-100.")
    var quality: Int = 90

    @Option(help: "JPEG chroma subsampling: 4:2:0 (smaller, the usual) or 4:4:4 (sharper colour edges).")
    var subsampling: ChromaSubsampling = .s420

    @Option(help: "PNG compression level, 0 (fastest) to 9 (smallest).")
    var pngCompression: Int = 6

    @Flag(help: "Replace outputs that already exist (default: skip them, so a rerun finishes an interrupted run).")
    var overwrite = false

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be 1-100 (got \(quality)).") }
        guard (0...9).contains(pngCompression) else {
            throw ValidationError("--png-compression must be 0-9 (got \(pngCompression)).")
        }
    }

    var imageOutput: ImageOutput {
        ImageOutput(format: format, quality: quality, subsampling: subsampling, pngCompression: pngCompression)
    }
}
