/// The eight EXIF orientations (tag 0x0112): how the stored pixel grid must be turned to be
/// upright. Raw values are the tag's values.
public enum ExifOrientation: Int, Sendable, Hashable, Codable, CaseIterable {
    case up = 1, upMirrored = 2, down = 3, downMirrored = 4
    case leftMirrored = 5, right = 6, rightMirrored = 7, left = 8

    /// True when the upright image has width and height exchanged.
    public var swapsAxes: Bool { rawValue >= 5 }
}
