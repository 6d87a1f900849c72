/// One class of an ImageNet prediction, as Keras' `decode_predictions` gives it:
/// `(wnid, name, probability)`.
public struct ImageNetPrediction: Sendable, Equatable, Codable {
    /// The WordNet id, e.g. `n02123045`.
    public var wnid: String
    /// Keras' class name, e.g. `tabby`.
    public var label: String
    public var probability: Double

    public init(wnid: String, label: String, probability: Double) {
        self.wnid = wnid
        self.label = label
        self.probability = probability
    }
}
