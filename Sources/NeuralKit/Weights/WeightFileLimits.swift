/// Bounds on what a weight file may declare, checked before anything is allocated: a hostile
/// or damaged file gets a clear error instead of exhausting memory. Real files sit far below:
/// VGG16 with its top has 138 million values, its largest tensor (fc1) 103 million, 23 layers.
enum WeightFileLimits {
    /// Dimensions of one tensor (Keras kernels have at most 5).
    static let rank = 8
    /// Values in one tensor (4 GiB as float32).
    static let tensorValues = 1 << 30
    /// Values in all the tensors of one file.
    static let fileValues = 1 << 31
    /// Bytes in one name (a layer, a weight, an attribute string).
    static let nameBytes = 64 * 1024
    /// Bytes of all the strings of one attribute.
    static let attributeBytes = 64 * 1024 * 1024
    /// Entries in one attribute array (`layer_names`, `weight_names`), and links in one group.
    static let entries = 100_000
    /// Chunks of a split attribute (`layer_names0`, `layer_names1`, ...).
    static let attributeChunks = 10_000
    /// Tensors listed in one file, and groups visited in one Keras 3 file: names may repeat
    /// (hard links, repeated `weight_names`), so this bounds the work an index can cost.
    static let objects = 100_000
    /// Group levels below the root a Keras 3 weights file may nest (models in models).
    static let depth = 32
}
