/// Keras' `width_shift_range` / `height_shift_range`: how far an image may be shifted along one
/// axis, in the three forms Keras accepts.
public enum ShiftRange: Sendable, Hashable {
    /// No shift.
    case none
    /// A float: uniform in `[-r, r)`; a fraction of the side when `r < 1`, pixels otherwise.
    case uniform(Double)
    /// A Keras int: whole pixels in `(-r, r)`, drawn as `choice(r)` times a random sign (so `2`
    /// gives -1, 0 or 1, as Keras documents).
    case integers(Int)
    /// A list: one element, times a random sign; fractions of the side when every element is
    /// below 1 (Keras tests the maximum), pixels otherwise.
    case choices([Double])

    /// The shift in pixels for an axis of `side` pixels, from two uniform draws in `[0, 1)`
    /// (the value and the sign; always both, so other parameters never depend on this form).
    func pixels(side: Int, _ value: Double, _ sign: Double) -> Double {
        let signed = sign < 0.5 ? -1.0 : 1.0
        switch self {
        case .none:
            return 0
        case .uniform(let r):
            let shift = -r + value * 2 * r
            return r < 1 ? shift * Double(side) : shift
        case .integers(let r):
            return Double(min(Int(value * Double(r)), r - 1)) * signed
        case .choices(let list):
            let pick = list[min(Int(value * Double(list.count)), list.count - 1)] * signed
            return (list.max() ?? 0) < 1 ? pick * Double(side) : pick
        }
    }

    /// Whether this shifts at all.
    public var isNone: Bool {
        switch self {
        case .none: true
        case .uniform(let r): r == 0
        case .integers(let r): r == 0
        case .choices(let list): list.allSatisfy { $0 == 0 }
        }
    }
}

extension ShiftRange: CustomStringConvertible {
    /// The form a user writes on the command line (`0.2`, `20`, `-10,0,10`).
    public var description: String {
        switch self {
        case .none: "0"
        case .uniform(let r): "\(r)"
        case .integers(let r): "\(r)"
        case .choices(let list): list.map { "\($0)" }.joined(separator: ",")
        }
    }
}
