import ArgumentParser
import DatasetKit

extension PixelSize: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
}
extension ResizeMode: ExpressibleByArgument {}
extension ResizeFilter: ExpressibleByArgument {}

/// The geometry of a resize, shared by `resize`, `augment --size` and `pack`.
struct ResizeFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Target size WxH (or N for NxN), at most 16384 a side. With --mode shorter, the shorter side.",
                               valueName: "WxH"))
    var size: PixelSize

    @Option(help: """
        stretch: both axes to the size (Keras target_size); crop: cover then centre-crop; \
        pad: fit then letterbox with --fill; shorter: shorter side to the size's width, keep aspect.
        """)
    var mode: ResizeMode = .stretch

    @Option(help: "bilinear (antialiased, as Pillow's BILINEAR), area (pixel averaging, as OpenCV INTER_AREA) or nearest (Keras' flow_from_directory default).")
    var filter: ResizeFilter = .bilinear

    @Option(help: "Letterbox colour for --mode pad.")
    var fill: RGBColor = .black

    var spec: ResizeSpec { ResizeSpec(size: size, mode: mode, filter: filter, fill: fill) }

    func validate() throws { try Self.check(size) }

    /// Refuses a size past `InputLimits.maxOutputSide`, naming the flag.
    static func check(_ size: PixelSize?) throws {
        if let size, let problem = InputLimits.outputSizeProblem(size) { throw ValidationError("--size: \(problem).") }
    }
}
