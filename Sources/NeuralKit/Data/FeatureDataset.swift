import DatasetKit

/// Feature vectors and their labels in two `.npy` files, as the transfer-learning tutorial saves
/// bottleneck features: float32 (or uint8) features of shape `(N, D)`, or `(N, h, w, c)` and any
/// other rank, read flattened in C order as Keras' `Flatten` does (for NHWC maps: position by
/// position, channels innermost); int64 `(N,)` class labels or uint8 `(N, C)` multi-hot rows.
public enum FeatureDataset {
    /// The examples, and a description naming the classes (`classes`, or "0", "1", ...).
    public static func load(features: String, labels: String, classes: [String]?) throws -> (ExampleSet, DatasetDescription) {
        let featureReader = try NPYReader(path: features)
        guard featureReader.shape.count >= 2, featureReader.dtype != .int64 else {
            throw DataError.mismatch("\(features): features must be float32 or uint8 (N, D) or (N, h, w, c), not \(featureReader.dtype.name) \(featureReader.shape)")
        }
        // A row is contiguous in C order, so flattening is reading it as one vector.
        let length = CheckedSize.product(featureReader.shape.dropFirst()) ?? Int.max
        guard (1...ModelLimits.maxFeatures).contains(length) else {
            throw DataError.mismatch("\(features): feature rows of \(featureReader.shape.dropFirst().map(String.init).joined(separator: "x")) values; models read 1-\(ModelLimits.maxFeatures)")
        }
        if let row = featureReader.firstNonFiniteRow() {
            throw DataError.mismatch("\(features): row \(row) holds NaN or infinity; every feature must be a finite number")
        }
        let labelReader = try NPYReader(path: labels)
        guard labelReader.rowCount == featureReader.rowCount else {
            throw DataError.mismatch("\(labels) has \(labelReader.rowCount) rows, \(features) \(featureReader.rowCount)")
        }
        let exampleLabels: ExampleLabels
        let classCount: Int
        if labelReader.dtype == .int64 && labelReader.shape.count == 1 {
            let values = labelReader.int64Values().map(Int.init)
            // Without names the classes are 0...max label: a stray huge label must not become
            // billions of classes (or overflow).
            if classes == nil, let top = values.max(), top >= ModelLimits.maxWidth {
                throw DataError.mismatch("\(labels): label \(top) would make \(top) + 1 classes, more than a model has (\(ModelLimits.maxWidth))")
            }
            classCount = classes?.count ?? ((values.max() ?? 0) + 1)
            if let bad = values.first(where: { !(0..<classCount).contains($0) }) {
                throw DataError.mismatch("\(labels): label \(bad) is outside the \(classCount) classes")
            }
            exampleLabels = .classes(values)
        } else if labelReader.dtype == .uint8 && labelReader.shape.count == 2 {
            classCount = labelReader.shape[1]
            exampleLabels = .multiHot(labelReader.uint8Values(), classes: classCount)
        } else {
            throw DataError.mismatch("\(labels): labels must be int64 (N,) or uint8 (N, C), not \(labelReader.dtype.name) \(labelReader.shape)")
        }
        if let classes, classes.count != classCount {
            throw DataError.mismatch("\(classes.count) class names for \(classCount) classes in \(labels)")
        }
        let input = ModelSpec.InputShape.features(length)
        let set = try ExampleSet(input: input, element: featureReader.dtype, rows: try ShardRows([featureReader]), labels: exampleLabels)
        let description = DatasetDescription(classes: classes ?? (0..<classCount).map(String.init), multiLabel: exampleLabels.isMultiLabel,
                                             input: input, normalization: .none, element: featureReader.dtype, resize: nil)
        return (set, description)
    }
}
