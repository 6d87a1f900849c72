import DatasetKit

/// On-the-fly augmentation of training images, drawn per example and epoch from the seed
/// (so a run repeats exactly, and a resumed run continues as the uninterrupted one would).
/// The names follow Keras' ImageDataGenerator: `horizontal_flip`, `width_shift_range` /
/// `height_shift_range` with `fill_mode="nearest"`.
public struct Augmentation: Sendable, Hashable, Codable {
    /// Mirror left-right with probability 1/2.
    public var flip: Bool
    /// Shift by up to this fraction of the width and of the height (whole pixels), the
    /// uncovered border repeating the edge pixels.
    public var shift: Double

    public init(flip: Bool = false, shift: Double = 0) {
        self.flip = flip
        self.shift = shift
    }

    public var isIdentity: Bool { !flip && shift <= 0 }

    /// The transform of one example in one epoch.
    func transform(seed: UInt64, epoch: Int, row: Int, height: Int, width: Int) -> ExampleTransform {
        guard !isIdentity else { return ExampleTransform() }
        var generator = SeededGenerator(seed: seed, item: "augment/\(epoch)", index: row)
        let flipped = flip && generator.next() >> 63 == 1
        func offset(_ size: Int) -> Int {
            guard shift > 0 else { return 0 }
            return Int((generator.uniform(-shift...shift) * Double(size)).rounded())
        }
        let dx = offset(width), dy = offset(height)
        return ExampleTransform(flip: flipped, dx: dx, dy: dy)
    }
}

/// Where each output pixel of one example is read from: the image moved by (`dx`, `dy`)
/// (edges repeated), then mirrored when `flip`.
struct ExampleTransform: Equatable {
    var flip = false
    var dx = 0
    var dy = 0

    var isIdentity: Bool { !flip && dx == 0 && dy == 0 }

    /// The source column of output column `x`.
    @inline(__always)
    func sourceX(_ x: Int, width: Int) -> Int {
        let mirrored = flip ? width - 1 - x : x
        return min(max(mirrored - dx, 0), width - 1)
    }

    /// The source row of output row `y`.
    @inline(__always)
    func sourceY(_ y: Int, height: Int) -> Int { min(max(y - dy, 0), height - 1) }
}
