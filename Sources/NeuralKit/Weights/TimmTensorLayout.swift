/// How a network tensor is stored in a timm (PyTorch) `state_dict`, and the conversion to the
/// layout NeuralKit saves (Keras'): a convolution kernel is OIHW `(out, in, kh, kw)` in timm and
/// HWIO `(kh, kw, in, out)` here; a depthwise kernel `(C, 1, kh, kw)` there and `(kh, kw, C, 1)`
/// here; a linear layer's `(out, in)` there and a dense kernel's `(in, out)` here; vectors are
/// the same. Batch normalisation's gamma, beta, moving mean and moving variance are timm's
/// `weight`, `bias`, `running_mean` and `running_var`.
enum TimmTensorLayout: Sendable, Equatable {
    case convolution
    case depthwise
    case dense
    case vector

    /// The layout of the network tensor `weight` (the part after the node name: `kernel`,
    /// `depthwise_kernel`, `gamma`, ...) of saved shape `savedShape`, and timm's name for it
    /// (`weight`, `bias`, `running_mean`, `running_var`); nil for a tensor timm does not store.
    static func of(weight: String, savedShape: [Int]) -> (layout: TimmTensorLayout, timmWeight: String)? {
        switch weight {
        case "kernel" where savedShape.count == 4: (.convolution, "weight")
        case "kernel" where savedShape.count == 2: (.dense, "weight")
        case "depthwise_kernel" where savedShape.count == 4 && savedShape[3] == 1: (.depthwise, "weight")
        case "bias", "beta": (.vector, "bias")
        case "gamma": (.vector, "weight")
        case "moving_mean": (.vector, "running_mean")
        case "moving_variance": (.vector, "running_var")
        default: nil
        }
    }

    /// timm's shape of a tensor saved here as `saved`.
    func timmShape(_ saved: [Int]) -> [Int] {
        switch self {
        case .convolution: [saved[3], saved[2], saved[0], saved[1]]
        case .depthwise: [saved[2], 1, saved[0], saved[1]]
        case .dense: [saved[1], saved[0]]
        case .vector: saved
        }
    }

    /// timm's `values` (in `timmShape(saved)`) rearranged into the saved layout of shape `saved`.
    func toSaved(_ values: [Float], saved: [Int]) -> [Float] {
        switch self {
        case .vector:
            return values
        case .dense:
            // (out, in) to (in, out) is OIHW to HWIO with a 1x1 window.
            return Self.convolution.toSaved(values, saved: [1, 1, saved[0], saved[1]])
        case .depthwise:
            // (C, 1, kh, kw) is OIHW with O = C, I = 1, and (kh, kw, C, 1) is HWIO with I = C,
            // O = 1: the same values as an OIHW (1, C, kh, kw) kernel to HWIO (kh, kw, C, 1).
            return Self.convolution.toSaved(values, saved: saved)
        case .convolution:
            let (kh, kw, inputs, outputs) = (saved[0], saved[1], saved[2], saved[3])
            let window = kh * kw
            return [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
                values.withUnsafeBufferPointer { source in
                    // source[o][i][k] (k over the window) to out[k][i][o].
                    for o in 0..<outputs { for i in 0..<inputs {
                        let row = (o * inputs + i) * window
                        for k in 0..<window { out[(k * inputs + i) * outputs + o] = source[row + k] }
                    } }
                }
                initialized = values.count
            }
        }
    }
}
