import CDNNL

/// Keras' `BatchNormalization` over the channels, on oneDNN's batch normalisation.
///
/// Trained (a training network, the layer not frozen), a training pass normalises with the
/// batch's mean and (biased) variance and then moves the moving statistics towards them by
/// Keras' momentum; gamma and beta get gradients through the batch statistics. Otherwise (an
/// inference pass, an inference network, or a frozen layer, as Keras runs a layer with
/// `trainable = False`) it normalises with the moving statistics, and the backward pass, when a
/// layer below trains, is the plain scaling `dy * gamma / sqrt(var + eps)`. The moving
/// statistics are state: saved and loaded with the weights, never touched by the optimizer.
public final class BatchNorm: UnaryLayer {
    public let name: String
    public let settings: LayerSpec.BatchNormSettings
    public private(set) var parameters: [Parameter] = []
    public private(set) var state: [StoredTensor] = []

    private var gamma: Parameter?
    private var beta: Parameter?
    private var movingMean: StoredTensor!
    private var movingVariance: StoredTensor!
    private var batchMean: Memory?
    private var batchVariance: Memory?
    private var input: Memory!
    private var output: Memory!
    private var training: BoundPrimitive?
    private var frozen: BoundPrimitive!
    private var trainingPD: PrimitiveDescriptor?
    private var frozenPD: PrimitiveDescriptor!
    private var backwardStep: BoundPrimitive?
    private var gradientReorder: Reorder?
    private var engine: ComputeEngine!
    private var trains = false

    public init(name: String, settings: LayerSpec.BatchNormSettings) {
        self.name = name
        self.settings = settings
    }

    private var flags: UInt32 {
        (settings.scale ? dnnl_use_scale.rawValue : 0) | (settings.center ? dnnl_use_shift.rawValue : 0)
    }

    public func buildForward(input: Memory, context: LayerContext) throws -> Memory {
        engine = context.engine
        let dims = input.dims
        guard dims.count == 4 || dims.count == 2 else { throw ModelError.shape("\(name) cannot read shape \(dims)") }
        let channels = dims[1]
        trains = context.training && context.trainable
        if settings.scale { gamma = try Parameter(vector: name + ".gamma", count: channels, trainable: trains, engine: engine) }
        if settings.center { beta = try Parameter(vector: name + ".beta", count: channels, trainable: trains, engine: engine) }
        try gamma?.fill(1)
        movingMean = try StoredTensor(vector: name + ".moving_mean", count: channels, engine: engine)
        movingVariance = try StoredTensor(vector: name + ".moving_variance", count: channels, engine: engine)
        try movingVariance.fill(1)
        parameters = [gamma, beta].compactMap { $0 }
        state = [movingMean, movingVariance]
        let output = try context.output(input.descriptor)
        var affine: [(Int32, Memory)] = []
        if let gamma { affine.append((DNNL_ARG_SCALE, gamma.value)) }
        if let beta { affine.append((DNNL_ARG_SHIFT, beta.value)) }
        // With the moving statistics: inference, or a training network that back-propagates
        // through a frozen layer (oneDNN then needs the training kind).
        frozenPD = try descriptor(kind: context.training ? dnnl_forward_training : dnnl_forward_inference,
                                  flags: flags | dnnl_use_global_stats.rawValue, data: input.descriptor)
        frozen = try BoundPrimitive(frozenPD, arguments: [(DNNL_ARG_SRC, input), (DNNL_ARG_DST, output),
                                                          (DNNL_ARG_MEAN, movingMean.value), (DNNL_ARG_VARIANCE, movingVariance.value)] + affine)
        if trains {
            let pd = try descriptor(kind: dnnl_forward_training, flags: flags, data: input.descriptor)
            let mean = try Memory(movingMean.value.descriptor, engine: engine)
            let variance = try Memory(movingVariance.value.descriptor, engine: engine)
            training = try BoundPrimitive(pd, arguments: [(DNNL_ARG_SRC, input), (DNNL_ARG_DST, output),
                                                          (DNNL_ARG_MEAN, mean), (DNNL_ARG_VARIANCE, variance)] + affine)
            (trainingPD, batchMean, batchVariance) = (pd, mean, variance)
        }
        self.input = input
        self.output = output
        return output
    }

    private func descriptor(kind: dnnl_prop_kind_t, flags: UInt32, data: MemoryDescriptor) throws(DNNLError) -> PrimitiveDescriptor {
        var op = dnnl_batch_normalization_desc_t()
        var layout = data.raw
        try check(dnnl_batch_normalization_forward_desc_init(&op, kind, &layout, Float(settings.epsilon), flags), "\(name) descriptor")
        return try PrimitiveDescriptor(op, engine: engine, what: "\(name) forward")
    }

    public func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory? {
        guard needsInputGradient || trains else { return nil }
        let (gradient, reorder) = try Reorder.adapting(outputGradient, to: output.descriptor, engine: engine)
        gradientReorder = reorder
        let inputGradient = try Memory(input.descriptor, engine: engine)
        var op = dnnl_batch_normalization_desc_t()
        var diff = input.descriptor.raw, data = input.descriptor.raw
        var arguments: [(Int32, Memory)] = [(DNNL_ARG_SRC, input), (DNNL_ARG_DIFF_DST, gradient), (DNNL_ARG_DIFF_SRC, inputGradient)]
        if let gamma { arguments.append((DNNL_ARG_SCALE, gamma.value)) }
        if let beta { arguments.append((DNNL_ARG_SHIFT, beta.value)) }
        // oneDNN 2.6 has no data-only backward pass with scale or shift: the full one runs, and
        // a frozen layer's gamma and beta gradients go to scratch memory.
        func parameterGradient(_ parameter: Parameter?) throws -> Memory? {
            guard let parameter else { return nil }
            return try parameter.gradient ?? Memory(parameter.value.descriptor, engine: engine)
        }
        if let g = try parameterGradient(gamma) { arguments.append((DNNL_ARG_DIFF_SCALE, g)) }
        if let b = try parameterGradient(beta) { arguments.append((DNNL_ARG_DIFF_SHIFT, b)) }
        let hint: PrimitiveDescriptor
        if trains, let trainingPD, let batchMean, let batchVariance {
            try check(dnnl_batch_normalization_backward_desc_init(&op, dnnl_backward, &diff, &data, Float(settings.epsilon), flags),
                      "\(name) backward descriptor")
            arguments += [(DNNL_ARG_MEAN, batchMean), (DNNL_ARG_VARIANCE, batchVariance)]
            hint = trainingPD
        } else {
            let kind = flags == 0 ? dnnl_backward_data : dnnl_backward
            try check(dnnl_batch_normalization_backward_desc_init(&op, kind, &diff, &data, Float(settings.epsilon),
                                                                   flags | dnnl_use_global_stats.rawValue),
                      "\(name) backward descriptor")
            arguments += [(DNNL_ARG_MEAN, movingMean.value), (DNNL_ARG_VARIANCE, movingVariance.value)]
            hint = frozenPD
        }
        let pd = try PrimitiveDescriptor(op, engine: engine, hint: hint, what: "\(name) backward")
        backwardStep = try BoundPrimitive(pd, arguments: arguments)
        return needsInputGradient ? inputGradient : nil
    }

    public func forward(training isTraining: Bool, step: Int) throws {
        guard isTraining, let training, let batchMean, let batchVariance else {
            try frozen.run(on: engine)
            return
        }
        try training.run(on: engine)
        try engine.wait()
        // Keras: moving = moving * momentum + batch * (1 - momentum), with the biased variance.
        let m = Float(settings.momentum)
        for (moving, batch) in [(movingMean.value, batchMean), (movingVariance.value, batchVariance)] {
            for c in 0..<moving.capacity { moving.floats[c] = moving.floats[c] * m + batch.floats[c] * (1 - m) }
        }
    }

    public func backward() throws {
        try gradientReorder?.run(on: engine)
        try backwardStep?.run(on: engine)
    }

    public var implementations: [String] { [frozenPD.implementation] + (backwardStep.map { [$0.descriptor.implementation] } ?? []) }
}
