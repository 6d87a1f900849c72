import DatasetKit

/// A `keras.applications` backbone with its 1000-class ImageNet classifier, labelling photos
/// the way Keras' tutorials do:
///
/// ```python
/// img = keras.utils.load_img(path, target_size=(224, 224))    # stretched, nearest neighbour
/// x = preprocess_input(np.expand_dims(keras.utils.img_to_array(img), 0))
/// print(decode_predictions(model.predict(x), top=5)[0])
/// ```
///
/// It is the first check that a weight file loaded right: a photo of a cat should come out as
/// a cat. Photos are decoded with their EXIF orientation applied (which `load_img` does not do,
/// so a phone's sideways photo is labelled upright), composited over white where transparent,
/// stretched to the backbone's default size with Pillow's `NEAREST` (`load_img`'s default),
/// normalised as the backbone's `preprocess_input`; the probabilities are the softmax of the
/// `predictions` layer.
public struct ImageNetClassifier {
    public let backbone: Backbone
    public let network: Network
    /// How a photo's bytes become the network's input.
    public let preparation: ImagePreparation
    /// What loading the weight file did.
    public let loaded: KerasWeightLoading.Report

    /// Builds `backbone` with its classifier for batches of up to `batchSize` and loads the
    /// with-top Keras weight file at `weightsPath`. A file without the classifier is refused with
    /// the name of the file that has it.
    public init(backbone: Backbone, weightsPath: String, batchSize: Int = 8, threads: Int) throws {
        let file = try KerasWeightFile(path: weightsPath)
        try Self.checkHasClassifier(file, backbone: backbone)
        let spec = try backbone.spec(includeTop: true)
        network = try Network(spec: spec, batchSize: batchSize, training: false, engine: try ComputeEngine(threads: threads),
                              classifier: true, initializeWeights: false)
        loaded = try KerasWeightLoading.load(file, backbone: backbone, into: network)
        self.backbone = backbone
        let side = backbone.defaultSize
        preparation = ImagePreparation(resize: ResizeSpec(size: PixelSize(width: side, height: side), mode: .stretch, filter: .nearest),
                                       normalization: backbone.normalization, background: .white, applyOrientation: true,
                                       dctReduction: false)
    }

    /// Refuses a notop file up front, naming the file with the classifier: the network's
    /// error would only say a layer is missing.
    static func checkHasClassifier(_ file: KerasWeightFile, backbone: Backbone) throws(WeightFileError) {
        let table = KerasWeightLoading.table(backbone)
        let topNames = Set(table.entries[table.notopCount...].map(\.name))
        let weighted = file.weightedLayers
        guard weighted.count == table.notopCount, !weighted.contains(where: { topNames.contains($0.name) }) else { return }
        let withTop = KerasApplicationWeights.lookup(backbone: backbone.rawValue, includeTop: true)?.fileName ?? "the with-top file"
        throw WeightFileError(.missing, path: file.path, reason: "this is the file without the classifier (include_top=False, "
            + "\(weighted.count) layers with weights); predict needs \(withTop), which has the ImageNet classifier "
            + "(--weights imagenet finds or downloads it)")
    }

    /// The RGB pixels (HWC, the backbone's default size) the network reads for an image file's bytes.
    public func prepare(_ bytes: [UInt8], limits: InputLimits = InputLimits()) throws -> [UInt8] {
        try preparation.prepare(bytes, limits: limits).image.pixels
    }

    /// The 1000 class probabilities of each prepared image, in order (nil for an image whose
    /// logits are not finite: weights too large for it, a verdict that must not read as an answer).
    public func probabilities(images: [[UInt8]]) throws -> [[Double]?] {
        guard !images.isEmpty else { return [] }
        let input = network.spec.input
        let set = try ExampleSet(input: input, element: .uint8, rows: ArrayRows(images.flatMap { $0 }, rowByteCount: input.valueCount),
                                 labels: .classes([Int](repeating: 0, count: images.count)))
        let logits = try Evaluator(network: network, normalization: preparation.normalization).logits(set)
        let classes = network.classCount
        return (0..<images.count).map { row in
            let z = logits[(row * classes)..<((row + 1) * classes)]
            guard z.allSatisfy(\.isFinite) else { return nil }
            return SoftmaxCrossEntropy.probabilities(z)
        }
    }

    /// The `top` most probable classes, most probable first (ties: the lower class index first),
    /// as Keras' `decode_predictions`.
    public static func decode(_ probabilities: [Double], top: Int) -> [ImageNetPrediction] {
        precondition(probabilities.count == ImageNetClasses.all.count, "\(probabilities.count) probabilities for 1000 classes")
        let order = probabilities.indices.sorted { (probabilities[$0], -$0) > (probabilities[$1], -$1) }
        return order.prefix(max(top, 0)).map {
            ImageNetPrediction(wnid: ImageNetClasses.all[$0].wnid, label: ImageNetClasses.all[$0].name, probability: probabilities[$0])
        }
    }
}
