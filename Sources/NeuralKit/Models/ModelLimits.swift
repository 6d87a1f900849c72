/// Bounds on what a model may ask for. A `model.json` is input like any other file: without
/// bounds a pool of size 0 divides by zero, an input of 2^40 pixels overflows the size
/// arithmetic, and a resize of 60000x60000 asks for 10.8 GB. The limits are far above what the
/// built-in networks need (seed-cnn at 128 px: 10.6 million weights, 128x128x32 values per
/// example in its widest layer).
public enum ModelLimits {
    /// Largest input height or width, and largest kernel, stride or pool size (pixels).
    public static let maxSide = 8192
    /// Longest feature vector a model may read.
    public static let maxFeatures = 1 << 24
    /// Most filters of a convolution, or units of a dense layer.
    public static let maxWidth = 1 << 16
    /// Most values one layer's output may hold per example (1 GiB of float32).
    public static let maxValuesPerExample = 1 << 28
    /// Most trainable values in a model (4 GiB of float32).
    public static let maxParameters = 1 << 30
    /// Most nodes in a model (InceptionV3 has 313).
    public static let maxLayers = 4096
}
