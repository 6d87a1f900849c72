/// What an augmented image shows where its transform reaches outside the source: Keras'
/// `fill_mode` names and meanings (its docs draw them as `abcd` extended to the left and right).
///
/// Each is defined on pixel indices, tap by tap, so bilinear sampling near an edge reads the
/// extended image; the oracle in `bench/augment_oracle.py` uses the matching SciPy mode.
public enum FillMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// `aaaa|abcd|dddd`: the edge pixel repeated. SciPy `nearest`, OpenCV `BORDER_REPLICATE`.
    case nearest
    /// `kkkk|abcd|kkkk` with k = `cval`. As SciPy `constant` (Keras' own backend): a point
    /// outside `[0, w-1] x [0, h-1]` is `cval`, with no blending across the edge.
    case constant
    /// `dcba|abcd|dcba`: mirrored, the edge pixel repeated. SciPy `reflect`, OpenCV `BORDER_REFLECT`.
    case reflect
    /// `abcd|abcd|abcd`: tiled with period equal to the size, as Keras documents it. SciPy
    /// `grid-wrap`, OpenCV `BORDER_WRAP`. (Keras passes `wrap` to SciPy, which since SciPy 1.6
    /// means a period of size − 1, the first and last columns overlapping; we keep the
    /// documented tiling.)
    case wrap

    /// The source index an out-of-range tap index `i` reads on an axis of `n` pixels (for
    /// `constant`, the clamped index: its taps outside the image only ever get zero weight).
    @inline(__always)
    func sourceIndex(_ i: Int, count n: Int) -> Int {
        if i >= 0 && i < n { return i }
        switch self {
        case .nearest, .constant:
            return i < 0 ? 0 : n - 1
        case .reflect:
            let period = 2 * n
            var k = i % period
            if k < 0 { k += period }
            return k < n ? k : period - 1 - k
        case .wrap:
            let k = i % n
            return k < 0 ? k + n : k
        }
    }
}
