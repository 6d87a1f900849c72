/// Whose definition of a backbone a network follows. The same name means different networks
/// in different libraries (timm's ResNet50 is v1.5, Keras' v1; Keras pads a stride-2
/// convolution after the image, timm on both sides; batch-norm epsilons and Inception's average
/// pooling differ), so a weight file serves only the family that wrote it, and the family is
/// always said, never guessed from a file.
public enum BackboneFamily: String, Sendable, CaseIterable, Codable {
    /// `keras.applications`: layer names, padding, epsilons and preprocessing as Keras builds
    /// them; weights from Keras `.h5` files (`KerasWeightLoading`).
    case keras
    /// timm 1.0's `create_model(name)` (`vgg16`, `resnet50`, `mobilenetv2_100`,
    /// `inception_v3`): PyTorch's symmetric padding and batch-norm epsilons, node names after
    /// timm's module paths (`layer1.0.conv1`); weights from timm's `model.safetensors`
    /// (`TimmWeightLoading`), preprocessing from its `pretrained_cfg` (`TimmPretrainedConfig`).
    case timm
}

extension Backbone {
    /// The model's name in timm (`timm.create_model(timmName)`).
    public var timmName: String {
        switch self {
        case .vgg16: "vgg16"
        case .resnet50: "resnet50"
        case .mobilenetV2: "mobilenetv2_100"
        case .inceptionV3: "inception_v3"
        }
    }

    /// The backbone timm calls `name` (`mobilenetv2_100`; a pretrained tag such as
    /// `.ra_in1k` is ignored), or nil.
    public init?(timmName name: String) {
        let architecture = name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
        guard let backbone = Backbone.allCases.first(where: { $0.timmName == architecture }) else { return nil }
        self = backbone
    }

    /// The node whose output the features are (without the classifier and pooling) in the
    /// network of `family`.
    public func lastBlock(family: BackboneFamily) -> String {
        switch family {
        case .keras: lastBlock
        case .timm:
            switch self {
            case .vgg16: "features.30"
            case .resnet50: "layer4.2.act3"
            case .mobilenetV2: "bn2.act"
            case .inceptionV3: "Mixed_7c"
            }
        }
    }
}
