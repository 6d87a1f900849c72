import DatasetKit
@testable import NeuralKit

/// Small synthetic datasets made on the fly.
enum TinyData {
    /// `perClass` RGB images of `size`x`size` per class, each class a different colour and
    /// pattern with per-image noise, labelled 0..<classes.
    static func images(classes: Int = 3, perClass: Int = 8, size: Int = 8, seed: UInt64 = 3) throws -> ExampleSet {
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = [], labels: [Int] = []
        for index in 0..<(classes * perClass) {
            let label = index % classes
            for y in 0..<size {
                for x in 0..<size {
                    let on: Bool = switch label % 3 {
                    case 0: x < size / 2
                    case 1: y % 2 == 0
                    default: (x + y) % 3 == 0
                    }
                    for c in 0..<3 {
                        let base = on ? (c == label % 3 ? 220.0 : 60.0) : 30.0
                        bytes.append(UInt8(max(0, min(255, base + generator.uniform(-25...25)))))
                    }
                }
            }
            labels.append(label)
        }
        return try ExampleSet(input: .image(height: size, width: size, channels: 3), element: .uint8,
                              rows: ArrayRows(bytes, rowByteCount: size * size * 3), labels: .classes(labels))
    }

    /// Gaussian clusters of `dimensions`-long float feature vectors around one centre per class.
    static func features(classes: Int = 3, perClass: Int = 10, dimensions: Int = 6, seed: UInt64 = 5) throws -> ExampleSet {
        var generator = SeededGenerator(seed: seed)
        let centres = (0..<classes).map { _ in (0..<dimensions).map { _ in Float(generator.uniform(-2...2)) } }
        var values: [Float] = [], labels: [Int] = []
        for index in 0..<(classes * perClass) {
            let label = index % classes
            values += centres[label].map { $0 + Float(generator.uniform(-0.3...0.3)) }
            labels.append(label)
        }
        return try ExampleSet(input: .features(dimensions), element: .float32, rows: ArrayRows(floats: values, rowLength: dimensions),
                              labels: .classes(labels))
    }

    /// Multi-hot labels over `classes`: each image carries the colours it shows.
    static func multiLabelImages(count: Int = 24, size: Int = 8, seed: UInt64 = 9) throws -> ExampleSet {
        var generator = SeededGenerator(seed: seed)
        var bytes: [UInt8] = [], labels: [UInt8] = []
        for _ in 0..<count {
            let present = (0..<3).map { _ in generator.next() % 2 == 0 }
            for y in 0..<size {
                for x in 0..<size {
                    for c in 0..<3 {
                        let lit = present[c] && (c == 0 ? x < size / 2 : c == 1 ? y < size / 2 : (x + y) % 2 == 0)
                        bytes.append(lit ? 210 : UInt8(generator.next() % 40))
                    }
                }
            }
            labels += present.map { $0 ? 1 : 0 }
        }
        return try ExampleSet(input: .image(height: size, width: size, channels: 3), element: .uint8,
                              rows: ArrayRows(bytes, rowByteCount: size * size * 3), labels: .multiHot(labels, classes: 3))
    }

    static func description(for set: ExampleSet, classes: Int) -> DatasetDescription {
        let normalization: Normalization = set.element == .uint8 ? .rescale : .none
        return DatasetDescription(classes: (0..<classes).map { "class\($0)" }, multiLabel: set.labels.isMultiLabel,
                                  input: set.input, normalization: normalization, element: set.element, resize: nil)
    }
}
