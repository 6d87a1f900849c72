import DatasetKit

/// A weight file of a `keras.applications` model, as Keras itself fetches it: the file name it
/// stores under `~/.keras/models/`, the address, and the `file_hash` it passes to `get_file`.
///
/// The facts are read from Keras 3's `keras/src/applications/{vgg16,resnet,mobilenet_v2,
/// inception_v3}.py`. (Keras' `decode_predictions` also fetches `imagenet_class_index.json`
/// from `https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json`,
/// md5 `c2c37ea517e94d9795004a39431a14cb`; the class names are not this file's business.)
public struct KerasApplicationWeights: Sendable, Equatable {
    /// `vgg16`, `resnet50`, `mobilenet_v2` (alpha 1.0, 224 px) or `inception_v3`.
    public var backbone: String
    /// With the 1000-class ImageNet classifier (Keras' `include_top=True`), or without (`notop`).
    public var includeTop: Bool
    /// The name Keras gives the file in its cache.
    public var fileName: String
    /// Where Keras downloads it.
    public var url: String
    /// The hash Keras checks, exactly as published; nil where Keras checks none (MobileNetV2).
    public var fileHash: String?

    public init(backbone: String, includeTop: Bool, fileName: String, url: String, fileHash: String?) {
        self.backbone = backbone
        self.includeTop = includeTop
        self.fileName = fileName
        self.url = url
        self.fileHash = fileHash
    }

    /// The digest to check, chosen as Keras' `get_file` does: 64 hex digits are SHA-256,
    /// anything else MD5.
    public var digest: ArchiveDigest? {
        fileHash.map { ArchiveDigest(algorithm: $0.count == 64 ? .sha256 : .md5, hex: $0) }
    }

    /// The backbones with ImageNet weights, as `--backbone` spells them.
    public static let backbones = ["vgg16", "resnet50", "mobilenet_v2", "inception_v3"]

    /// The entry for a backbone with or without its classifier; nil for an unknown backbone.
    public static func lookup(backbone: String, includeTop: Bool) -> KerasApplicationWeights? {
        catalog.first { $0.backbone == backbone && $0.includeTop == includeTop }
    }

    private static let base = "https://storage.googleapis.com/tensorflow/keras-applications/"

    private static func entry(_ backbone: String, _ includeTop: Bool, _ folder: String, _ fileName: String,
                              _ fileHash: String?) -> KerasApplicationWeights {
        KerasApplicationWeights(backbone: backbone, includeTop: includeTop, fileName: fileName,
                                url: base + folder + "/" + fileName, fileHash: fileHash)
    }

    /// Every file, with top then without, in `backbones` order.
    public static let catalog: [KerasApplicationWeights] = [
        entry("vgg16", true, "vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
              "64373286793e3c8b2b4e3219cbf3544b"),
        entry("vgg16", false, "vgg16", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
              "6d6bbae143d832006294945121d1f1fc"),
        entry("resnet50", true, "resnet", "resnet50_weights_tf_dim_ordering_tf_kernels.h5",
              "2cb95161c43110f7111970584f804107"),
        entry("resnet50", false, "resnet", "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
              "4d473c1dd8becc155b73f8504c6f6626"),
        entry("mobilenet_v2", true, "mobilenet_v2", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5", nil),
        entry("mobilenet_v2", false, "mobilenet_v2", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5", nil),
        entry("inception_v3", true, "inception_v3", "inception_v3_weights_tf_dim_ordering_tf_kernels.h5",
              "9a0d58056eeedaa3f26cb7ebd46da564"),
        entry("inception_v3", false, "inception_v3", "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
              "bcbd6486424b2319ff4ef7d526e38f63"),
    ]
}
