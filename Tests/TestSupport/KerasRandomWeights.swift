/// Random weights for a whole Keras model, laid out as `KerasH5Writer` writes them: how the
/// backbone tests make a weight file of every layer with no Keras at hand.
///
/// Values are pseudo-random in [-1, 1) and differ between tensors, so a tensor loaded into the
/// wrong layer or slot (gamma for beta, moving mean for variance) never matches what was written.
public enum KerasRandomWeights {
    /// A layer of the model: its name, Keras class and weight shapes (none for weightless layers).
    public struct ModelLayer: Sendable {
        public var name: String
        public var kerasClass: String
        public var shapes: [[Int]]

        public init(name: String, kerasClass: String, shapes: [[Int]]) {
            self.name = name
            self.kerasClass = kerasClass
            self.shapes = shapes
        }
    }

    /// Keras' names for a layer's weights in stored order: `kernel, bias`; `depthwise_kernel`;
    /// batch normalisation `gamma, beta, moving_mean, moving_variance` (without gamma when it does
    /// not scale). Keras 1 named kernels `W` and biases `b`.
    public static func weightNames(kerasClass: String, count: Int, generation: KerasH5Writer.Generation) -> [String] {
        let names: [String]
        switch kerasClass {
        case "BatchNormalization":
            names = count == 3 ? ["beta", "moving_mean", "moving_variance"] : ["gamma", "beta", "moving_mean", "moving_variance"]
        case "DepthwiseConv2D":
            names = ["depthwise_kernel", "bias"]
        default:
            names = generation == .keras1 ? ["W", "b"] : ["kernel", "bias"]
        }
        precondition(count <= names.count, "\(kerasClass) with \(count) weights")
        return Array(names.prefix(count))
    }

    /// The model's layers for `KerasH5Writer.writeLegacy`, each weight filled with
    /// `values(count, seed:)` for a seed unique to it (derived from `seed`); moving variances
    /// are moved to [0.5, 1.5] so the network computes finite numbers, as with a real file.
    public static func layers(_ model: [ModelLayer], generation: KerasH5Writer.Generation, seed: UInt64) -> [KerasH5Writer.Layer] {
        var next = seed &* 1_000_003
        return model.map { layer in
            let names = weightNames(kerasClass: layer.kerasClass, count: layer.shapes.count, generation: generation)
            return KerasH5Writer.Layer(layer.name, zip(names, layer.shapes).map { name, shape in
                next &+= 1
                let random = values(shape.reduce(1, *), seed: next)
                return (name, shape, name == "moving_variance" ? random.map { 0.5 + abs($0) } : random)
            })
        }
    }

    /// The same layers as Keras 3's `.weights.h5` saves them: one `layers/<class>[_n]` group
    /// per layer, numbered per class in model order (`conv2d`, `conv2d_1`, ...), weightless
    /// layers included.
    public static func savedObjects(_ layers: [KerasH5Writer.Layer], classes: [String]) -> [KerasH5Writer.SavedObject] {
        precondition(layers.count == classes.count)
        var counts: [String: Int] = [:]
        return zip(layers, classes).map { layer, kerasClass in
            let stem = snakeCase(kerasClass)
            let count = counts[stem, default: 0]
            counts[stem] = count + 1
            return KerasH5Writer.SavedObject(group: "layers/" + (count == 0 ? stem : "\(stem)_\(count)"), name: layer.name,
                                             values: layer.weights.map { ($0.shape, $0.values) })
        }
    }

    /// `count` values in [-1, 1), a different sequence for each `seed` (SplitMix64).
    public static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                // 24 random bits: every value exact in a Float.
                buffer[i] = Float(Int32(truncatingIfNeeded: z >> 40) - (1 << 23)) * 0x1p-23
            }
            initialized = count
        }
    }

    /// Keras' automatic name stem for a class: `BatchNormalization` → `batch_normalization`,
    /// `Conv2D` → `conv2d`, `DepthwiseConv2D` → `depthwise_conv2d`.
    public static func snakeCase(_ kerasClass: String) -> String {
        var out = ""
        let characters = Array(kerasClass)
        for (i, c) in characters.enumerated() {
            // A capital after a lower-case letter or a digit starts a word, except the D of `2D`.
            if c.isUppercase, i > 0, characters[i - 1].isLowercase || (characters[i - 1].isNumber && c != "D") { out += "_" }
            out += c.lowercased()
        }
        return out
    }
}
