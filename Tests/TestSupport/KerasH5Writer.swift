import Foundation

/// Writes files laid out as Keras' weight files are, for the reader's tests; the committed
/// fixtures in Fixtures/keras (written by real Keras) pin these layouts to reality.
public enum KerasH5Writer {
    /// One layer: its name and its weights as (short name, shape, values), trainable first.
    public struct Layer: Sendable {
        public var name: String
        public var weights: [(name: String, shape: [Int], values: [Float])]

        public init(_ name: String, _ weights: [(name: String, shape: [Int], values: [Float])] = []) {
            self.name = name
            self.weights = weights
        }
    }

    /// The legacy `.h5` naming generations.
    public enum Generation: Sendable, CaseIterable, CustomStringConvertible {
        /// Keras 1: flat `conv/conv_W_1:0`, fixed-length NUL-padded strings, no version attributes.
        case keras1
        /// Keras 2: nested `conv/conv/kernel:0`, fixed-length strings, version attributes.
        case keras2
        /// Keras 3's legacy writer: nested `conv/conv/kernel`, variable-length strings.
        case keras3

        /// The `weight_names` entry for a layer's weight (a dataset path relative to the layer group).
        public func weightName(layer: String, weight: String) -> String {
            switch self {
            case .keras1: "\(layer)_\(weight)_1:0"
            case .keras2: "\(layer)/\(weight):0"
            case .keras3: "\(layer)/\(weight)"
            }
        }

        public var encoding: HDF5Writer.StringEncoding { self == .keras3 ? .variable : .fixedNullPadded }

        public var description: String {
            switch self {
            case .keras1: "Keras 1"
            case .keras2: "Keras 2"
            case .keras3: "Keras 3 legacy"
            }
        }
    }

    /// A legacy weight file. `layerNameChunks` > 1 splits `layer_names` into `layer_names0`,
    /// `layer_names1`, ... as Keras does when the list outgrows an attribute header;
    /// `modelWeights` nests everything in a `model_weights` group as `model.save("x.h5")` does.
    public static func writeLegacy(_ path: String, _ layers: [Layer], generation: Generation,
                                   layerNameChunks: Int = 1, modelWeights: Bool = false) {
        let writer = HDF5Writer(path: path)
        let root = modelWeights ? "/model_weights" : "/"
        if modelWeights { writer.group(root) }
        let names = layers.map(\.name)
        if layerNameChunks <= 1 {
            writer.strings(names, attribute: "layer_names", on: root, encoding: generation.encoding)
        } else {
            let size = (names.count + layerNameChunks - 1) / layerNameChunks
            for chunk in 0..<layerNameChunks {
                let part = Array(names.dropFirst(chunk * size).prefix(size))
                writer.strings(part, attribute: "layer_names\(chunk)", on: root, encoding: generation.encoding)
            }
        }
        if generation != .keras1 {
            for place in Set([root, "/"]) {
                writer.strings(["2.2.4-tf"], attribute: "keras_version", on: place, encoding: generation.encoding, scalar: true)
                writer.strings(["tensorflow"], attribute: "backend", on: place, encoding: generation.encoding, scalar: true)
            }
        }
        for layer in layers {
            let group = join(root, layer.name)
            writer.group(group)
            let weightNames = layer.weights.map { generation.weightName(layer: layer.name, weight: $0.name) }
            if weightNames.isEmpty {
                writer.emptyFloat64Array(attribute: "weight_names", on: group)
            } else {
                writer.strings(weightNames, attribute: "weight_names", on: group, encoding: generation.encoding)
            }
            for (weight, name) in zip(layer.weights, weightNames) {
                let datasetPath = join(group, name)
                writer.group(String(datasetPath[..<datasetPath.lastIndex(of: "/")!]))
                writer.dataset(datasetPath, shape: weight.shape, values: weight.values)
            }
        }
        writer.close()
    }

    /// One object of a Keras 3 `.weights.h5`: its group (e.g. `layers/conv2d_1`), the layer
    /// name Keras records on `vars`, and its variables in order.
    public struct SavedObject: Sendable {
        public var group: String
        public var name: String
        public var values: [(shape: [Int], values: [Float])]

        public init(group: String, name: String, values: [(shape: [Int], values: [Float])]) {
            self.group = group
            self.name = name
            self.values = values
        }
    }

    /// A Keras 3 `.weights.h5`: each object's `vars` group with `name` and datasets `0, 1, ...`,
    /// the model's own `vars` at the root, and optimizer state Keras saves beside the layers.
    public static func writeWeightsH5(_ path: String, _ objects: [SavedObject], modelName: String = "functional") {
        let writer = HDF5Writer(path: path)
        writer.group("/vars")
        writer.strings([modelName], attribute: "name", on: "/vars", encoding: .variable, scalar: true)
        writer.group("/optimizer/vars")
        writer.strings(["adam"], attribute: "name", on: "/optimizer/vars", encoding: .variable, scalar: true)
        writer.dataset("/optimizer/vars/0", shape: [], values: [3], as: .int64)
        writer.dataset("/optimizer/vars/1", shape: [2], values: [0.5, 0.25])
        for object in objects {
            let vars = join("/" + object.group, "vars")
            writer.group(vars)
            writer.strings([object.name], attribute: "name", on: vars, encoding: .variable, scalar: true)
            for (index, variable) in object.values.enumerated() {
                writer.dataset(join(vars, "\(index)"), shape: variable.shape, values: variable.values)
            }
        }
        writer.close()
    }

    public static func join(_ group: String, _ name: String) -> String {
        group.hasSuffix("/") ? group + name : group + "/" + name
    }

    /// Distinct values for a tensor of `count` values, different per `seed`.
    public static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { Float(seed * 1000 + $0) * 0.25 - 7 }
    }
}
