import DatasetKit

/// The examples of one split: input rows (uint8 pixels, or float32 pixels or features) and
/// their labels, seen through a list of row indices so a split can be divided without copying.
public struct ExampleSet: Sendable {
    public var input: ModelSpec.InputShape
    /// `uint8` pixels (normalised while batching) or `float32` values (used as they are).
    public var element: NPYDType
    public var rows: any ExampleRows
    public var labels: ExampleLabels
    /// The rows of `rows` this set uses, in order.
    public var indices: [Int]

    public init(input: ModelSpec.InputShape, element: NPYDType, rows: any ExampleRows, labels: ExampleLabels,
                indices: [Int]? = nil) throws(DataError) {
        guard element == .uint8 || element == .float32 else { throw .unsupported("examples of \(element.name)") }
        guard rows.rowByteCount == input.valueCount * element.size else {
            throw .mismatch("rows of \(rows.rowByteCount) bytes do not hold \(input.valueCount) \(element.name) values")
        }
        // uint8 pixels are normalised through one table per channel, for R, G and B.
        if case .image(_, _, let channels) = input, element == .uint8, channels != 3 {
            throw .unsupported("uint8 images of \(channels) channels (RGB only)")
        }
        guard labels.count == rows.count else { throw .mismatch("\(rows.count) examples but \(labels.count) labels") }
        // The one check of row indices: batching reads rows without checking them again.
        if let bad = indices?.first(where: { !(0..<rows.count).contains($0) }) {
            throw .mismatch("row \(bad) is outside the \(rows.count) examples")
        }
        self.input = input
        self.element = element
        self.rows = rows
        self.labels = labels
        self.indices = indices ?? Array(0..<rows.count)
    }

    public var count: Int { indices.count }

    /// A deterministic split: `fraction` of the examples (at least one) for validation, the
    /// rest for training, chosen by shuffling with `seed`; both keep the original order.
    public func split(validationFraction fraction: Double, seed: UInt64) -> (train: ExampleSet, validation: ExampleSet) {
        var order = indices
        var generator = SeededGenerator(seed: seed, item: "validation-split")
        order.shuffle(using: &generator)
        let validationCount = min(count - 1, max(1, Int((Double(count) * fraction).rounded())))
        let held = Set(order.prefix(validationCount))
        var train = self, validation = self
        train.indices = indices.filter { !held.contains($0) }
        validation.indices = indices.filter { held.contains($0) }
        return (train, validation)
    }

    /// Examples per class (for multi-hot labels: examples carrying each class).
    public func classCounts(classes: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        switch labels {
        case .classes(let labels): for i in indices where labels[i] < classes { counts[labels[i]] += 1 }
        case .multiHot(let values, let width):
            for i in indices { for k in 0..<min(width, classes) where values[i * width + k] != 0 { counts[k] += 1 } }
        }
        return counts
    }
}
