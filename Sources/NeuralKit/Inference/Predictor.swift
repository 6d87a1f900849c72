import DatasetKit

/// A trained model ready to label new data: photos prepared exactly as `pack` prepared the
/// training images (the preparation recorded in `model.json`: background, EXIF orientation,
/// DCT reduction, resize, normalisation), or feature vectors.
public struct Predictor {
    public let network: Network
    public let document: ModelDocument

    /// Loads the model in `folder` for batches of up to `batchSize`.
    public init(folder: String, batchSize: Int, threads: Int) throws {
        (network, document) = try ModelFile.network(in: folder, batchSize: batchSize, engine: try ComputeEngine(threads: threads))
    }

    /// Whether the model reads images (else feature vectors).
    public var readsImages: Bool { if case .image = document.architecture.input { true } else { false } }

    /// The RGB pixels (HWC) `pack` would have stored for an image file's bytes: the recorded
    /// `data.preparation` applied (`limits` refuse files, never change pixels).
    public func prepare(_ bytes: [UInt8], limits: InputLimits = InputLimits()) throws -> [UInt8] {
        guard case .image(let height, let width, _) = document.architecture.input else {
            throw DataError.unsupported("this model reads feature vectors, not images")
        }
        guard let preparation = document.data.preparation else {
            throw DataError.missing("the model records no image preparation (data.preparation in model.json) to prepare images with")
        }
        let image = try preparation.prepare(bytes, limits: limits).image
        guard image.width == width && image.height == height else {
            throw DataError.mismatch("prepared to \(image.width)x\(image.height), the model reads \(width)x\(height)")
        }
        return image.pixels
    }

    /// Class probabilities (softmax, or per-class sigmoid for multi-label models) of prepared
    /// images, in order.
    public func probabilities(images: [[UInt8]]) throws -> [[Double]] {
        guard !images.isEmpty else { return [] }
        let set = try ExampleSet(input: document.architecture.input, element: .uint8,
                                 rows: ArrayRows(images.flatMap { $0 }, rowByteCount: document.architecture.input.valueCount),
                                 labels: .classes([Int](repeating: 0, count: images.count)))
        return try probabilities(set)
    }

    /// Class probabilities of every example of `examples`.
    public func probabilities(_ examples: ExampleSet) throws -> [[Double]] {
        let logits = try Evaluator(network: network, normalization: document.data.normalization).logits(examples)
        let c = network.classCount
        return (0..<examples.count).map { row in
            let z = logits[(row * c)..<((row + 1) * c)]
            return document.data.multiLabel ? z.map { SigmoidBinaryCrossEntropy.sigmoid(Double($0)) } : SoftmaxCrossEntropy.probabilities(z)
        }
    }

    /// Labels by probability, most likely first: the `top` most likely (single-label), or those
    /// reaching `threshold`, at most `top` (multi-label).
    public func ranked(_ probabilities: [Double], top: Int, threshold: Double? = nil) -> [LabelProbability] {
        let order = probabilities.indices.sorted { (probabilities[$0], -$0) > (probabilities[$1], -$1) }
        let kept = document.data.multiLabel ? order.filter { probabilities[$0] >= (threshold ?? document.threshold) } : order
        return kept.prefix(top).map { LabelProbability(label: document.data.classes[$0], probability: probabilities[$0]) }
    }
}

/// One label of a prediction.
public struct LabelProbability: Sendable, Equatable, Codable {
    public var label: String
    public var probability: Double
}
