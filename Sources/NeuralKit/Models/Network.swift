import CDNNL

/// A sequential network built on oneDNN for one batch size.
///
/// The input batch is written by the caller into `input` (plain: NHWC images or `(N, D)`
/// features); `forward` leaves one logit per class in `logits` (plain `(N, classes)`). A
/// training network also has `logitsGradient`, which the loss fills before `backward`, after
/// which every parameter's `gradient` holds dLoss/dParameter.
public final class Network: @unchecked Sendable {
    public let spec: ModelSpec
    public let batchSize: Int
    public let engine: ComputeEngine
    public let layers: [Layer]
    public let input: Memory
    public let logits: Memory
    public let logitsGradient: Memory?
    public let isTraining: Bool
    /// How `input` is laid out.
    public let inputLayout: InputLayout

    /// The order of the input's values: images pixel by pixel (`nhwc`) or plane by plane
    /// (`nchw`), or feature vectors (`flat`), example after example.
    public enum InputLayout: Sendable { case nhwc, nchw, flat }
    private let logitsReorder: Reorder?

    /// Builds `spec` for `batchSize` examples; `training` adds the backward pass. Weights start
    /// from Keras' initialisers seeded by `seed` (load saved ones with `ModelFile`).
    public init(spec: ModelSpec, batchSize: Int, training: Bool, engine: ComputeEngine, seed: UInt64 = 0) throws {
        // The one check of a spec's numbers, whether it comes from a model file or from code.
        try spec.validate()
        guard (1...65536).contains(batchSize) else { throw ModelError.shape("a batch of \(batchSize) examples; it must be 1-65536") }
        guard let classes = spec.outputCount else { throw ModelError.shape("the last layer of \(spec.name) must be dense") }
        self.spec = spec
        self.batchSize = batchSize
        self.engine = engine
        self.isTraining = training
        engine.useThreads()
        let context = LayerContext(engine: engine, training: training, seed: seed)
        let inputDims = spec.input.dims(batch: batchSize)
        layers = Self.makeLayers(spec)
        // Images arrive NHWC; if the first convolution reads planar NCHW, the batch is written
        // that way instead of reordered every step.
        if inputDims.count == 2 {
            inputLayout = .flat
        } else if let conv = layers.first as? Conv2D,
                  try conv.preferredInputLayout(dims: inputDims, context: context) == MemoryDescriptor(dims: inputDims, tag: dnnl_nchw) {
            inputLayout = .nchw
        } else {
            inputLayout = .nhwc
        }
        let tag = switch inputLayout { case .flat: dnnl_nc; case .nchw: dnnl_nchw; case .nhwc: dnnl_nhwc }
        input = try Memory(try MemoryDescriptor(dims: inputDims, tag: tag), engine: engine)
        var output = input
        for layer in layers { output = try layer.buildForward(input: output, context: context) }
        guard output.dims == [batchSize, classes] else {
            throw ModelError.shape("\(spec.name) ends in shape \(output.dims), not (\(batchSize), \(classes))")
        }
        (logits, logitsReorder) = try Reorder.adapting(output, to: try MemoryDescriptor(dims: [batchSize, classes], tag: dnnl_nc),
                                                       engine: engine)
        guard training else {
            logitsGradient = nil
            return
        }
        let gradient = try Memory(logits.descriptor, engine: engine)
        logitsGradient = gradient
        var outputGradient: Memory? = gradient
        for (index, layer) in layers.enumerated().reversed() {
            guard let g = outputGradient else { break }
            outputGradient = try layer.buildBackward(outputGradient: g, needsInputGradient: index > 0, context: context)
        }
    }

    /// The layers of `spec`, with a convolution's activation moved into the max pooling right
    /// after it (the same function, computed on a quarter of the values; see `Pooling`).
    static func makeLayers(_ spec: ModelSpec) -> [Layer] {
        let names = spec.layerNames
        var layers: [Layer] = []
        var index = 0
        while index < spec.layers.count {
            if case let .conv2d(filters, kernel, stride, padding, activation?) = spec.layers[index],
               index + 1 < spec.layers.count, case .maxPool(let size) = spec.layers[index + 1] {
                layers.append(Conv2D(name: names[index], filters: filters, kernelSize: kernel, stride: stride, padding: padding, activation: nil))
                layers.append(MaxPool2D(name: names[index + 1], size: size, activation: activation))
                index += 2
            } else {
                layers.append(spec.layers[index].makeLayer(name: names[index]))
                index += 1
            }
        }
        return layers
    }

    /// Trainable tensors, in layer order (kernel, then bias).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The name of the first parameter holding a NaN or an infinity, or nil when all are finite.
    /// Reads the buffers as they are (blocked padding is zero), without a reorder.
    public func firstNonFiniteParameter() -> String? {
        parameters.first { !$0.value.buffer.allSatisfy(\.isFinite) }?.name
    }

    /// The number of classes (logits per example).
    public var classCount: Int { logits.dims[1] }

    /// Runs the layers on `input`. `training` turns dropout on; `step` numbers the batch.
    public func forward(training: Bool, step: Int = 0) throws {
        precondition(!training || isTraining, "an inference network cannot run a training pass")
        engine.useThreads()
        for layer in layers { try layer.forward(training: training, step: step) }
        try logitsReorder?.run(on: engine)
        try engine.wait()
    }

    /// Back-propagates `logitsGradient` through the layers (after a training `forward`).
    public func backward() throws {
        precondition(isTraining, "an inference network has no backward pass")
        engine.useThreads()
        for layer in layers.reversed() { try layer.backward() }
        try engine.wait()
    }
}
