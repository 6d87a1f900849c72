/// A Keras weight file (HDF5): its layers in file order, each with its weight tensors in the
/// order Keras stores them (trainable first: `kernel, bias`; batch norm `gamma, beta,
/// moving_mean, moving_variance`). Opening it reads only the index (names, shapes, types);
/// `values(_:)` reads one tensor when asked, so a backbone without its top never reads the
/// 400 MB of VGG16's `fc1`.
///
/// Two formats are read:
/// - the legacy `.h5` of `keras.applications` and `model.save_weights("x.h5")` (Keras 1 to 3),
///   also wrapped in a `model_weights` group as `model.save("x.h5")` writes it: the root
///   attribute `layer_names` lists the layers, each layer group's `weight_names` its datasets;
/// - Keras 3's `model.save_weights("x.weights.h5")`: `layers/<class name>/vars/0, 1, ...`.
///
/// ```swift
/// let file = try KerasWeightFile(path: "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")
/// for layer in file.layers where !layer.weights.isEmpty {
///     let kernel = try file.values(layer.weights[0])   // HWIO for a convolution
/// }
/// ```
public final class KerasWeightFile: Sendable {
    /// How the file is laid out, and which Keras generation wrote it.
    public enum Layout: String, Sendable, Hashable, CaseIterable {
        /// Legacy `.h5` from the Keras 1 era (VGG16's notop file): flat dataset names such as
        /// `block1_conv1/block1_conv1_W_1:0`, fixed-length strings, no version attributes.
        case legacyFlat
        /// Legacy `.h5` from Keras 2 / tf.keras: nested names with a variable index, such as
        /// `bn_Conv1/bn_Conv1/gamma:0`.
        case legacyNested
        /// Legacy `.h5` from Keras 3's legacy writer: nested names without `:0`, such as
        /// `conv1/conv1/kernel`.
        case legacyNestedWithoutIndex
        /// Legacy `.h5` in which no layer holds weights, so the generation cannot be told.
        case legacyWithoutWeights
        /// Keras 3 `.weights.h5` (`layers/conv2d_3/vars/0`).
        case weightsH5

        public var isLegacy: Bool { self != .weightsH5 }
    }

    /// One layer (or, in a `.weights.h5`, one saved Keras object such as a nested model).
    public struct Layer: Sendable, Hashable {
        /// The Keras layer name: the `layer_names` entry, or in a `.weights.h5` the `name`
        /// attribute Keras records on the layer's `vars` group (the last path component when
        /// the file has none).
        public let name: String
        /// The layer's group in the file, e.g. `/block1_conv1` or `/layers/functional/layers/conv2d_2`.
        public let path: String
        /// Its tensors in the order Keras stores them (trainable first); empty for pooling,
        /// activation and input layers.
        public let weights: [TensorInfo]

        public init(name: String, path: String, weights: [TensorInfo]) {
            self.name = name
            self.path = path
            self.weights = weights
        }
    }

    /// The file as given.
    public let path: String
    public let layout: Layout
    /// The group the layers are listed in: `/`, or `/model_weights` for a whole model saved by
    /// `model.save("x.h5")`.
    public let root: String
    /// The `keras_version` attribute (e.g. `2.2.4`, `3.15.1`), when the file records one.
    public let kerasVersion: String?
    /// The `backend` attribute (e.g. `tensorflow`), when the file records one.
    public let backend: String?
    /// In file order. For a legacy file that is Keras' `model.layers` order, which is how Keras
    /// loads it. A `.weights.h5` does not record the order across layer classes (its groups
    /// are named after the class, `conv2d_10`, and HDF5 keeps them sorted by name): its layers
    /// are ordered by class name, then by the number Keras appended, which is model order
    /// among the layers of one class. Match them by `name` or by `path`.
    public let layers: [Layer]

    private let file: HDF5File
    private let tensorPaths: Set<String>

    /// Opens the file and reads its index; no tensor values are read.
    public init(path: String) throws(WeightFileError) {
        let file = try HDF5File(path: path)
        let legacy: Bool
        if try KerasLegacyIndex.listsLayers(file, at: "/") {
            (root, legacy) = ("/", true)
        } else if file.kind(at: "/model_weights") == .group, try KerasLegacyIndex.listsLayers(file, at: "/model_weights") {
            (root, legacy) = ("/model_weights", true)
        } else if KerasV3Index.holdsLayers(file) {
            (root, legacy) = ("/", false)
        } else {
            throw WeightFileError(.format, path: path, reason: "not a Keras weight file: no layer_names attribute (a Keras .h5) "
                                  + "and no layers group (a Keras 3 .weights.h5)")
        }
        if legacy {
            (layers, layout) = try KerasLegacyIndex.read(file, root: root)
            kerasVersion = Self.attribute("keras_version", file, root)
            backend = Self.attribute("backend", file, root)
        } else {
            layers = try KerasV3Index.read(file)
            layout = .weightsH5
            kerasVersion = nil
            backend = nil
        }
        self.path = path
        self.file = file
        tensorPaths = Set(layers.flatMap { $0.weights.map(\.path) })
    }

    /// The layer named `name`, the first when names repeat.
    public func layer(named name: String) -> Layer? { layers.first { $0.name == name } }

    /// The layers that hold weights, in file order: the sequence Keras assigns by position.
    public var weightedLayers: [Layer] { layers.filter { !$0.weights.isEmpty } }

    /// One tensor's values, row-major in its stored shape, converted to `Float` from whatever
    /// float width the file stores. Throws for a tensor of another file, for integer tensors
    /// (such as a `Normalization` layer's `count`), and for damaged data.
    public func values(_ weight: TensorInfo) throws(WeightFileError) -> [Float] {
        guard tensorPaths.contains(weight.path) else {
            throw WeightFileError(.missing, path: path, location: weight.path, reason: "this file's index lists no such tensor")
        }
        let values = try file.floats(at: weight.path)
        guard values.count == weight.count else {
            throw WeightFileError(.format, path: path, location: weight.path,
                                  reason: "holds \(values.count) values, not the \(weight.count) of its indexed shape \(weight.shape)")
        }
        return values
    }

    /// A version attribute: optional, so an unreadable one is left out rather than failing the file.
    private static func attribute(_ name: String, _ file: HDF5File, _ root: String) -> String? {
        for place in root == "/" ? ["/"] : [root, "/"] {
            if (try? file.hasAttribute(name, at: place)) == true, let value = try? file.strings(attribute: name, at: place).first {
                return value
            }
        }
        return nil
    }
}
