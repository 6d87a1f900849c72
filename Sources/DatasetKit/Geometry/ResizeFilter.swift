/// The resampling filter of a resize.
public enum ResizeFilter: String, Sendable, Hashable, CaseIterable, Codable {
    /// Triangle filter widened by the reduction factor (antialiased), as Pillow's `BILINEAR`.
    case bilinear
    /// Box filter widened by the reduction factor: pixel-area averaging, as OpenCV's `INTER_AREA`
    /// and Pillow's `BOX` when shrinking.
    case area
    /// Nearest neighbour, as Pillow's `NEAREST`: Keras' `flow_from_directory` default.
    case nearest

    /// Half-width of the filter in source pixels before widening.
    var support: Double {
        switch self {
        case .bilinear: 1.0
        case .area: 0.5
        case .nearest: 0.0
        }
    }

    /// The kernel's weight at distance `x` (in filter units).
    func weight(_ x: Double) -> Double {
        switch self {
        case .bilinear:
            let a = abs(x)
            return a < 1 ? 1 - a : 0
        case .area:
            // Half-open so neighbouring output pixels never both take a boundary sample.
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .nearest:
            return 0
        }
    }
}
