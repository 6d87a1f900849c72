import Foundation
import ArgumentParser
import DatasetKit

extension FillMode: ExpressibleByArgument {}

extension ShiftRange: ExpressibleByArgument {
    /// `0.2` (a float: fraction below 1, pixels from 1), `20` (a Keras int: whole pixels), or a
    /// comma list `-10,0,10` (one of them, with a random sign).
    public init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count > 1 {
            let values = parts.compactMap(Double.init)
            guard values.count == parts.count else { return nil }
            self = .choices(values)
        } else if let whole = Int(argument), whole >= 0 || !argument.contains(".") {
            self = whole == 0 ? .none : .integers(whole)
        } else if let value = Double(argument) {
            self = value == 0 ? .none : .uniform(value)
        } else {
            return nil
        }
    }
}

extension ZoomRange: ExpressibleByArgument {
    /// `0.2` (zooms 0.8 to 1.2) or `0.8,1.2`.
    public init?(argument: String) {
        let values = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        switch values.count {
        case 1: guard let z = values[0] else { return nil }; self = .symmetric(z)
        case 2: guard let lower = values[0], let upper = values[1] else { return nil }; self = .between(lower, upper)
        default: return nil
        }
    }
}

extension ValueRange: ExpressibleByArgument {
    /// `lower,upper`.
    public init?(argument: String) {
        let values = argument.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 2, let lower = values[0], let upper = values[1] else { return nil }
        self.init(lower: lower, upper: upper)
    }
}

/// Keras' `ImageDataGenerator` augmentation arguments, in kebab case, with Keras' meanings.
struct AugmentFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Rotation: degrees, uniform in ±R.", valueName: "degrees"))
    var rotationRange: Double = 0

    @Option(help: ArgumentHelp("Horizontal shift: a fraction of the width below 1 (0.2), pixels from 1 (a float: any value in ±R; a whole number: whole pixels, as a Keras int), or a list to pick from with a random sign (-10,0,10).",
                               valueName: "range"))
    var widthShiftRange: ShiftRange = .none

    @Option(help: ArgumentHelp("Vertical shift, as --width-shift-range with the height.", valueName: "range"))
    var heightShiftRange: ShiftRange = .none

    @Option(help: ArgumentHelp("Shear angle in degrees, uniform in ±R (as Keras: the tutorials' 0.2 is a fifth of a degree).",
                               valueName: "degrees"))
    var shearRange: Double = 0

    @Option(help: ArgumentHelp("Zoom: Z for factors 1-Z to 1+Z, or lower,upper. Above 1 zooms out; x and y are drawn independently.",
                               valueName: "Z|lower,upper"))
    var zoomRange: ZoomRange = .symmetric(0)

    @Flag(help: "Mirror left-right with probability 1/2.")
    var horizontalFlip = false

    @Flag(help: "Mirror top-bottom with probability 1/2.")
    var verticalFlip = false

    @Option(help: ArgumentHelp("Brightness factor range, as PIL's ImageEnhance.Brightness: 1 keeps, 0.5 halves, 1.2 brightens (clipped).",
                               valueName: "lower,upper"))
    var brightnessRange: ValueRange?

    @Option(help: ArgumentHelp("One offset in ±R added to every channel (0-255 scale), clipped to the image's own range.",
                               valueName: "R"))
    var channelShiftRange: Double = 0

    @Option(help: "What shows outside the source: nearest (aaaa|abcd|dddd), constant (--cval), reflect (dcba|abcd|dcba), wrap (abcd|abcd|abcd).")
    var fillMode: FillMode = .nearest

    @Option(help: ArgumentHelp("Fill value for --fill-mode constant, 0-255.", valueName: "value"))
    var cval: Double = 0

    var parameters: AugmentParameters {
        AugmentParameters(rotationRange: rotationRange, widthShiftRange: widthShiftRange, heightShiftRange: heightShiftRange,
                          shearRange: shearRange, zoomRange: zoomRange, horizontalFlip: horizontalFlip,
                          verticalFlip: verticalFlip, brightnessRange: brightnessRange, channelShiftRange: channelShiftRange,
                          fillMode: fillMode, cval: cval)
    }

    func validate() throws {
        do { try parameters.validate() } catch { throw ValidationError(error.description) }
    }

    /// True when the user gave any of these flags (a replay takes its parameters from the log).
    var anyGiven: Bool { parameters != AugmentParameters() }
}

/// `augment --labels`: a flat folder of images labelled by a CSV.
struct AugmentLabelsFlags: ParsableArguments {
    @Option(help: ArgumentHelp("A CSV of id,label rows naming the images of SRC (HackerEarth's train.csv): the label is the class.",
                               valueName: "csv"))
    var labels: String?

    @Option(help: "Column holding the image ids (with --labels).")
    var idColumn = "image_id"

    @Option(help: "Column holding the class label (with --labels).")
    var labelColumn = "label"

    @Option(name: .customLong("extension"), help: "Extension the ids lack, e.g. png (with --labels; default: any image whose name without extension is the id).")
    var imageExtension: String?

    func validate() throws {
        if let labels { try LabelsCommand.requireFile(labels, "--labels CSV") }
        _ = try LabelsCommand.normalisedExtension(imageExtension)
    }
}

/// `augment --size`: resize every output first, as Keras' `target_size` does at load.
struct AugmentResizeFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Resize every output to WxH (or N for NxN; at most 16384 a side) before augmenting it, as Keras' target_size does at load: shifts and pixel ranges then refer to this size.",
                               valueName: "WxH"))
    var size: PixelSize?

    @Option(help: "With --size: stretch (default), crop, pad (black letterbox) or shorter, as for resize.")
    var mode: ResizeMode = .stretch

    @Option(help: "With --size: bilinear (antialiased; default), area or nearest, as for resize.")
    var filter: ResizeFilter = .bilinear

    var spec: ResizeSpec? { size.map { ResizeSpec(size: $0, mode: mode, filter: filter) } }

    func validate() throws { try ResizeFlags.check(size) }
}
