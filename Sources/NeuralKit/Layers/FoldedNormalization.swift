import CDNNL

/// A batch normalisation folded into the convolution before it, for inference: with
/// `s = gamma / sqrt(moving_variance + epsilon)` the convolution runs with kernel `w * s` (per
/// output channel) and bias `(b - moving_mean) * s + beta`, which gives the same values as the
/// two layers one after the other without a pass over the activations. The batch
/// normalisation's own tensors stay as saved (they are what model files hold); the folded
/// kernel and bias are recomputed whenever one of them, or the convolution's, is set.
final class FoldedNormalization {
    let settings: LayerSpec.BatchNormSettings
    /// gamma (when scaled) and beta (when centred): not trained here.
    let parameters: [Parameter]
    /// moving mean and variance.
    let state: [StoredTensor]
    /// What the convolution primitive reads.
    let kernel: Memory
    let bias: Memory

    private let gamma: Parameter?
    private let beta: Parameter?
    private let mean: StoredTensor
    private let variance: StoredTensor
    private let savedKernel: Parameter
    private let savedBias: Parameter?
    private let engine: ComputeEngine
    private var foldedRevisions: [Int] = []

    init(name: String, settings: LayerSpec.BatchNormSettings, channels: Int, kernel savedKernel: Parameter, bias savedBias: Parameter?,
         kernelLayout: MemoryDescriptor, engine: ComputeEngine) throws(DNNLError) {
        self.settings = settings
        self.savedKernel = savedKernel
        self.savedBias = savedBias
        self.engine = engine
        gamma = settings.scale ? try Parameter(vector: name + ".gamma", count: channels, trainable: false, engine: engine) : nil
        beta = settings.center ? try Parameter(vector: name + ".beta", count: channels, trainable: false, engine: engine) : nil
        mean = try StoredTensor(vector: name + ".moving_mean", count: channels, engine: engine)
        variance = try StoredTensor(vector: name + ".moving_variance", count: channels, engine: engine)
        try gamma?.fill(1)
        try variance.fill(1)
        parameters = [gamma, beta].compactMap { $0 }
        state = [mean, variance]
        kernel = try Memory(kernelLayout, engine: engine)
        bias = try Memory(try MemoryDescriptor(dims: [channels], tag: dnnl_x), engine: engine)
    }

    private var revisions: [Int] { ([savedKernel, savedBias, gamma, beta, mean, variance] as [StoredTensor?]).map { $0?.revision ?? -1 } }

    /// Recomputes the folded kernel and bias if any tensor they come from was set since.
    func update() throws(DNNLError) {
        let now = revisions
        guard now != foldedRevisions else { return }
        let channels = mean.count
        let g = try gamma?.plainValues(), b = try beta?.plainValues()
        let m = try mean.plainValues(), v = try variance.plainValues(), b0 = try savedBias?.plainValues()
        let scale = (0..<channels).map { c in (g?[c] ?? 1) / (v[c] + Float(settings.epsilon)).squareRoot() }
        // Saved kernels are (kh, kw, in, out) or (kh, kw, channels, 1): the output channel varies fastest.
        var values = try savedKernel.plainValues()
        for i in values.indices { values[i] *= scale[i % channels] }
        try savedKernel.setFromPlain(values, into: kernel)
        for c in 0..<channels { bias.floats[c] = ((b0?[c] ?? 0) - m[c]) * scale[c] + (b?[c] ?? 0) }
        foldedRevisions = now
    }
}
