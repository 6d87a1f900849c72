/// The random ranges of an augmentation, with Keras' `ImageDataGenerator` names and meanings.
///
/// Where Keras is ambiguous or unlike its own documentation, this follows the documentation and
/// says so: the width shift moves the image horizontally (newer Keras swaps the two shift axes),
/// brightness is PIL's blend with black (Keras also stretches the result to 0-255), and turns
/// are about the centre of the pixel grid (Keras' is a pixel right of and below it).
public struct AugmentParameters: Sendable, Hashable {
    /// Degrees; the angle is uniform in `[-r, r)`.
    public var rotationRange: Double
    /// Horizontal shift (see `ShiftRange`).
    public var widthShiftRange: ShiftRange
    /// Vertical shift.
    public var heightShiftRange: ShiftRange
    /// Degrees, uniform in `[-r, r)` (so the tutorials' `0.2` is a fifth of a degree, as in Keras).
    public var shearRange: Double
    /// Zoom factors; x and y are drawn independently. Above 1 zooms out (the content shrinks).
    public var zoomRange: ZoomRange
    /// Mirror left-right with probability 1/2.
    public var horizontalFlip: Bool
    /// Mirror top-bottom with probability 1/2.
    public var verticalFlip: Bool
    /// Brightness factor range (lower, upper); nil for none. 1 keeps the image, 0 is black.
    public var brightnessRange: ValueRange?
    /// One offset, uniform in `[-r, r)`, added to every channel (0-255 scale).
    public var channelShiftRange: Double
    /// What shows outside the source.
    public var fillMode: FillMode
    /// The fill value for `constant`, 0-255, for every channel.
    public var cval: Double

    public init(rotationRange: Double = 0, widthShiftRange: ShiftRange = .none, heightShiftRange: ShiftRange = .none,
                shearRange: Double = 0, zoomRange: ZoomRange = .symmetric(0), horizontalFlip: Bool = false,
                verticalFlip: Bool = false, brightnessRange: ValueRange? = nil, channelShiftRange: Double = 0,
                fillMode: FillMode = .nearest, cval: Double = 0) {
        self.rotationRange = rotationRange
        self.widthShiftRange = widthShiftRange
        self.heightShiftRange = heightShiftRange
        self.shearRange = shearRange
        self.zoomRange = zoomRange
        self.horizontalFlip = horizontalFlip
        self.verticalFlip = verticalFlip
        self.brightnessRange = brightnessRange
        self.channelShiftRange = channelShiftRange
        self.fillMode = fillMode
        self.cval = cval
    }

    /// The tutorials' generator: rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flips,
    /// nearest fill.
    public static let tutorial = AugmentParameters(
        rotationRange: 40, widthShiftRange: .uniform(0.2), heightShiftRange: .uniform(0.2), shearRange: 0.2,
        zoomRange: .symmetric(0.2), horizontalFlip: true, fillMode: .nearest)

    /// Largest accepted zoom factor and pixel shift: beyond them every output is fill.
    public static let maximumZoom = 100.0
    public static let maximumShiftPixels = 100_000.0

    /// Checks every range; the error names the flag and what it accepts.
    public func validate() throws(AugmentParameterError) {
        func check(_ ok: Bool, _ flag: String, _ message: String) throws(AugmentParameterError) {
            if !ok { throw AugmentParameterError(flag: flag, message: message) }
        }
        try check(rotationRange.isFinite && (0...360).contains(rotationRange), "--rotation-range",
                  "must be 0-360 degrees (got \(rotationRange))")
        try Self.validate(widthShiftRange, flag: "--width-shift-range")
        try Self.validate(heightShiftRange, flag: "--height-shift-range")
        try check(shearRange.isFinite && shearRange >= 0 && shearRange < 90, "--shear-range",
                  "must be 0 or more and below 90 degrees (got \(shearRange))")
        switch zoomRange {
        case .symmetric(let z):
            try check(z.isFinite && z >= 0 && z < 1, "--zoom-range",
                      "a single value z means zooms 1-z to 1+z, so it must be 0 or more and below 1 (got \(z)); give a pair lower,upper for other ranges")
        case .between(let lower, let upper):
            try check(lower.isFinite && upper.isFinite && lower > 0 && upper <= Self.maximumZoom, "--zoom-range",
                      "zoom factors must be above 0 and at most \(Int(Self.maximumZoom)) (got \(lower),\(upper))")
            try check(lower <= upper, "--zoom-range", "the pair must be lower,upper (got \(lower),\(upper))")
        }
        if let b = brightnessRange {
            try check(b.lower.isFinite && b.upper.isFinite && b.lower >= 0, "--brightness-range",
                      "factors must be 0 or more (got \(b.lower),\(b.upper))")
            try check(b.lower <= b.upper, "--brightness-range", "the pair must be lower,upper (got \(b.lower),\(b.upper))")
        }
        try check(channelShiftRange.isFinite && (0...255).contains(channelShiftRange), "--channel-shift-range",
                  "must be 0-255 (got \(channelShiftRange))")
        try check(cval.isFinite && (0...255).contains(cval), "--cval", "must be 0-255 (got \(cval))")
    }

    private static func validate(_ range: ShiftRange, flag: String) throws(AugmentParameterError) {
        switch range {
        case .none:
            return
        case .uniform(let r):
            guard r.isFinite && r >= 0 && r <= maximumShiftPixels else {
                throw AugmentParameterError(flag: flag, message: "must be 0 or more: a fraction of the side below 1, pixels from 1 (got \(r))")
            }
        case .integers(let r):
            guard r >= 0 && Double(r) <= maximumShiftPixels else {
                throw AugmentParameterError(flag: flag, message: "must be 0 or more pixels (got \(r))")
            }
        case .choices(let list):
            guard !list.isEmpty, list.allSatisfy({ $0.isFinite && abs($0) <= maximumShiftPixels }) else {
                throw AugmentParameterError(flag: flag, message: "a list needs finite values (got \(range))")
            }
        }
    }
}

/// Keras' `zoom_range`: a float `z` (zooms `1-z` to `1+z`) or an explicit pair.
public enum ZoomRange: Sendable, Hashable {
    case symmetric(Double)
    case between(Double, Double)

    /// The (lower, upper) zoom factors.
    public var bounds: (lower: Double, upper: Double) {
        switch self {
        case .symmetric(let z): (1 - z, 1 + z)
        case .between(let lower, let upper): (lower, upper)
        }
    }
}

/// A (lower, upper) pair as a user gave it, possibly out of order until validated (a
/// `ClosedRange` cannot even hold a reversed pair to report it).
public struct ValueRange: Sendable, Hashable, Codable {
    public var lower: Double
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// A range or option of an augmentation that is out of bounds, naming the flag.
public struct AugmentParameterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command-line flag (`--zoom-range`).
    public var flag: String
    public var message: String

    public init(flag: String, message: String) {
        self.flag = flag
        self.message = message
    }

    public var description: String { "\(flag) \(message)." }
}
