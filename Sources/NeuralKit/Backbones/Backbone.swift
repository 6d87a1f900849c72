import DatasetKit

/// The ImageNet networks `dataset` builds: by default as `keras.applications` builds them, layer
/// for layer and name for name, so Keras' weight files load into them; or, with `family: .timm`,
/// as timm builds its namesakes, so timm's `model.safetensors` load (`BackboneFamily`).
public enum Backbone: String, Sendable, CaseIterable, Codable {
    case vgg16
    case resnet50
    case mobilenetV2 = "mobilenet_v2"
    case inceptionV3 = "inception_v3"

    /// What stands on top of the last block without the ImageNet classifier (Keras' `pooling`).
    public enum Pooling: String, Sendable, CaseIterable, Codable {
        /// The last block's feature map, `(h, w, channels)`.
        case none
        /// Its mean per channel (`GlobalAveragePooling2D`).
        case avg
        /// Its maximum per channel (`GlobalMaxPooling2D`).
        case max
    }

    /// Keras' default input side (with the classifier, the only one).
    public var defaultSize: Int { self == .inceptionV3 ? 299 : 224 }

    /// The smallest input side Keras accepts without the classifier.
    public var minimumSize: Int { self == .inceptionV3 ? 75 : 32 }

    /// How Keras' `preprocess_input` for this network prepares pixels: `caffe` (RGB to BGR,
    /// ImageNet mean subtracted, no scaling) for VGG16 and ResNet50, `tf` (scaled to [-1, 1])
    /// for MobileNetV2 and InceptionV3.
    public var preprocessingMode: String {
        switch self {
        case .vgg16, .resnet50: "caffe"
        case .mobilenetV2, .inceptionV3: "tf"
        }
    }

    /// Keras' `preprocess_input` for this network as a normalisation of RGB pixels.
    public var normalization: Normalization { preprocessingMode == "caffe" ? .caffe : .tf }

    /// Channels of the last block's output (the pooled feature vector's length).
    public var featureChannels: Int {
        switch self {
        case .vgg16: 512
        case .resnet50, .inceptionV3: 2048
        case .mobilenetV2: 1280
        }
    }

    /// The node whose output the features are, without the classifier and pooling, in Keras'
    /// network (`lastBlock(family:)` names timm's).
    public var lastBlock: String {
        switch self {
        case .vgg16: "block5_pool"
        case .resnet50: "conv5_block3_out"
        case .mobilenetV2: "out_relu"
        case .inceptionV3: "mixed10"
        }
    }

    /// The network of `family` for `height` x `width` RGB input (preprocessed): with the ImageNet
    /// classifier (`includeTop`, 1000 logits, softmax head; the default size only), or ending in
    /// the last block with `pooling`.
    public func spec(height: Int? = nil, width: Int? = nil, includeTop: Bool, pooling: Pooling = .none,
                     family: BackboneFamily = .keras) throws(ModelError) -> ModelSpec {
        let (h, w) = (height ?? defaultSize, width ?? defaultSize)
        if includeTop {
            guard h == defaultSize, w == defaultSize else {
                throw .shape("\(rawValue) with its ImageNet classifier reads \(defaultSize)x\(defaultSize) images, not \(h)x\(w)")
            }
        } else {
            guard h >= minimumSize, w >= minimumSize, h <= ModelLimits.maxSide, w <= ModelLimits.maxSide else {
                throw .shape("\(rawValue) reads images of \(minimumSize)x\(minimumSize) to \(ModelLimits.maxSide) a side, not \(h)x\(w)")
            }
        }
        if family == .timm { return timmSpec(height: h, width: w, includeTop: includeTop, pooling: pooling) }
        var graph = GraphBuilder()
        let last: String
        switch self {
        case .vgg16: last = VGG16.build(&graph)
        case .resnet50: last = ResNet50.build(&graph)
        case .mobilenetV2: last = MobileNetV2.build(&graph, height: h, width: w)
        case .inceptionV3: last = InceptionV3.build(&graph)
        }
        if includeTop {
            switch self {
            case .vgg16:
                graph.add(.flatten, "flatten", last)
                graph.add(.dense(units: 4096, activation: .relu), "fc1", "flatten")
                graph.add(.dense(units: 4096, activation: .relu), "fc2", "fc1")
                graph.add(.dense(units: 1000, activation: nil), "predictions", "fc2")
            case .resnet50, .inceptionV3:
                graph.add(.globalAveragePool, "avg_pool", last)
                graph.add(.dense(units: 1000, activation: nil), "predictions", "avg_pool")
            case .mobilenetV2:
                let pool = graph.add(.globalAveragePool, graph.automaticName("global_average_pooling2d"), last)
                graph.add(.dense(units: 1000, activation: nil), "predictions", pool)
            }
        } else {
            switch pooling {
            case .none: break
            case .avg: graph.add(.globalAveragePool, self == .resnet50 ? "avg_pool" : graph.automaticName("global_average_pooling2d"), last)
            case .max: graph.add(.globalMaxPool, self == .resnet50 ? "max_pool" : graph.automaticName("global_max_pooling2d"), last)
            }
        }
        return ModelSpec(name: rawValue, input: .image(height: h, width: w, channels: 3), nodes: graph.nodes, head: .softmax)
    }
}

extension Backbone {
    /// timm's network (sizes already checked): its classifier is global average pooling then
    /// `fc` (`classifier` in MobileNetV2; VGG16 first runs its ConvMlp `pre_logits`); without
    /// it, `pooling` is a node named `global_pool`.
    private func timmSpec(height: Int, width: Int, includeTop: Bool, pooling: Pooling) -> ModelSpec {
        var graph = GraphBuilder()
        let last: String
        switch self {
        case .vgg16: last = TimmVGG16.build(&graph)
        case .resnet50: last = TimmResNet50.build(&graph)
        case .mobilenetV2: last = TimmMobileNetV2.build(&graph)
        case .inceptionV3: last = TimmInceptionV3.build(&graph)
        }
        if includeTop {
            if self == .vgg16 {
                TimmVGG16.buildTop(&graph, last)
            } else {
                graph.add(.globalAveragePool, "global_pool", last)
                graph.add(.dense(units: 1000, activation: nil), self == .mobilenetV2 ? "classifier" : "fc", "global_pool")
            }
        } else {
            switch pooling {
            case .none: break
            case .avg: graph.add(.globalAveragePool, "global_pool", last)
            case .max: graph.add(.globalMaxPool, "global_pool", last)
            }
        }
        return ModelSpec(name: timmName, input: .image(height: height, width: width, channels: 3), nodes: graph.nodes, head: .softmax)
    }
}
