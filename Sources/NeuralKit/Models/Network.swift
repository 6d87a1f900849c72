import CDNNL
import DatasetKit

/// A model graph built on oneDNN for one batch size.
///
/// The input batch is written by the caller into `input` (plain: NHWC or NCHW images, or
/// `(N, D)` features); `forward` runs the layers in order and leaves the last node's output in
/// `output`, plain (`(N, classes)` logits for a classifier, `(N, D)` or NHWC `(N, H, W, C)`
/// features for a backbone). A training network also has `outputGradient`, which the loss fills
/// before `backward`, after which every trained parameter's `gradient` holds dLoss/dParameter.
/// Gradients flow only where something below trains: nothing runs backward under the lowest
/// trained layer, and frozen layers compute no weight gradients.
public final class Network: @unchecked Sendable {
    public let spec: ModelSpec
    public let batchSize: Int
    public let engine: ComputeEngine
    /// The layers, in the order they run.
    public let layers: [Layer]
    public let input: Memory
    /// The last node's output, plain.
    public let output: Memory
    public let outputGradient: Memory?
    public let isTraining: Bool
    /// How `input` is laid out.
    public let inputLayout: InputLayout

    /// The order of the input's values: images pixel by pixel (`nhwc`) or plane by plane
    /// (`nchw`), or feature vectors (`flat`), example after example.
    public enum InputLayout: Sendable { case nhwc, nchw, flat }

    private let outputReorder: Reorder?
    /// Steps whose backward runs, last first, each with the sum of its output's gradient
    /// contributions to run before it (where several layers read that output).
    private let backwardSteps: [(layer: Layer, sum: BoundPrimitive?)]
    /// Each graph node's output memory (nil for a node folded into the next).
    private let nodeOutputs: [String: Memory]
    /// Where an inference network's layer outputs live (nil: each its own memory).
    private let arena: ActivationArena?

    /// Bytes of the layer outputs placed in one buffer (0 when each has its own memory).
    public var activationBytes: Int { arena?.byteCount ?? 0 }

    /// Builds `spec` for `batchSize` examples; `training` adds the backward pass. Weights start
    /// from Keras' initialisers seeded by `seed` (or zeros without `initializeWeights`, when
    /// saved ones will be loaded with `load`). A classifier spec ends in a dense layer;
    /// `classifier: false` builds any graph (a backbone).
    /// An inference network runs convolutions fused with what follows them (`NetworkPlan`)
    /// and places layer outputs in one buffer by their lifetimes (`ActivationArena`);
    /// `keepOutputs` keeps each output in its own memory, and with `fuse` false every node runs
    /// alone, so `plainOutput(of:)` reads any node.
    public init(spec: ModelSpec, batchSize: Int, training: Bool, engine: ComputeEngine, seed: UInt64 = 0,
                classifier: Bool = true, initializeWeights: Bool = true, keepOutputs: Bool = false, fuse: Bool = true) throws {
        // The one check of a spec's numbers, whether it comes from a model file or from code.
        try spec.validate(classifier: classifier)
        guard (1...65536).contains(batchSize) else { throw ModelError.shape("a batch of \(batchSize) examples; it must be 1-65536") }
        self.spec = spec
        self.batchSize = batchSize
        self.engine = engine
        self.isTraining = training
        engine.useThreads()
        let graph = try ModelGraph(spec)
        let plan = NetworkPlan(graph, inference: !training && fuse)
        layers = plan.steps.map(\.layer)
        let inputDims = spec.input.dims(batch: batchSize)
        let arena = training || keepOutputs ? nil : ActivationArena()
        self.arena = arena
        func context(_ step: NetworkPlan.Step, arena: ActivationArena? = nil) -> LayerContext {
            var context = LayerContext(engine: engine, training: training, seed: seed, trainable: training && step.trainable,
                                       initializeWeights: initializeWeights)
            context.arena = arena
            return context
        }
        // Images arrive NHWC; if the one layer reading them wants planar NCHW, the batch is
        // written that way instead of reordered every step.
        let readers = plan.steps.indices.filter { plan.steps[$0].inputs.contains(ModelGraph.modelInput) }
        if inputDims.count == 2 {
            inputLayout = .flat
        } else if readers.count == 1, let wanted = try plan.steps[readers[0]].layer.preferredInputLayout(dims: inputDims, context: context(plan.steps[readers[0]])),
                  wanted == (try MemoryDescriptor(dims: inputDims, tag: dnnl_nchw)) {
            inputLayout = .nchw
        } else {
            inputLayout = .nhwc
        }
        let tag = switch inputLayout { case .flat: dnnl_nc; case .nchw: dnnl_nchw; case .nhwc: dnnl_nhwc }
        let input = try Memory(try MemoryDescriptor(dims: inputDims, tag: tag), engine: engine)
        self.input = input
        var outputs: [Memory] = []
        for (i, step) in plan.steps.enumerated() {
            let inputs = step.inputs.map { $0 == ModelGraph.modelInput ? input : outputs[$0] }
            arena?.step = i
            // The last output outlives the network's run (it is read after), so it is not placed.
            let isLast = i == plan.steps.count - 1
            outputs.append(try step.layer.buildForward(inputs: inputs, context: context(step, arena: isLast ? nil : arena)))
            for memory in inputs { arena?.use(memory, at: i) }
        }
        if let arena {
            arena.use(outputs[outputs.count - 1], at: plan.steps.count)
            try arena.allocate()
        }
        var named: [String: Memory] = [:]
        for (node, step) in plan.stepOfNode.enumerated() { if let step { named[graph.nodes[node].name] = outputs[step] } }
        nodeOutputs = named
        let last = outputs[outputs.count - 1]
        let plainTag = switch last.dims.count { case 2: dnnl_nc; case 4: dnnl_nhwc; default: dnnl_format_tag_any }
        guard plainTag != dnnl_format_tag_any else { throw ModelError.shape("\(spec.name) ends in shape \(last.dims)") }
        let (plain, reorder) = try Reorder.adapting(last, to: try MemoryDescriptor(dims: last.dims, tag: plainTag), engine: engine)
        outputReorder = reorder
        // Global pooling gives (N, C, 1, 1); Keras' gives (N, C), the same values in the same order.
        let endsInGlobalPool = switch graph.nodes.last!.layer { case .globalAveragePool, .globalMaxPool: true; default: false }
        if endsInGlobalPool, last.dims.count == 4 {
            output = try Memory(view: try plain.descriptor.reshaped([last.dims[0], last.dims[1]]), of: plain, whole: true, engine: engine)
        } else {
            output = plain
        }
        guard training else {
            outputGradient = nil
            backwardSteps = []
            return
        }
        let gradient = try Memory(output.descriptor, engine: engine)
        outputGradient = gradient
        // A step needs backward when it trains weights or a step below it does.
        var needsGradient = [Bool](repeating: false, count: plan.steps.count)
        for (i, step) in plan.steps.enumerated() {
            needsGradient[i] = step.layer.parameters.contains(where: \.isTrainable)
                || step.inputs.contains { $0 != ModelGraph.modelInput && needsGradient[$0] }
        }
        var contributions = [[Memory]](repeating: [], count: plan.steps.count)
        contributions[plan.steps.count - 1] = [gradient]
        var backward: [(Layer, BoundPrimitive?)] = []
        for (i, step) in plan.steps.enumerated().reversed() where needsGradient[i] && !contributions[i].isEmpty {
            var sum: BoundPrimitive?
            var incoming = contributions[i][0]
            if contributions[i].count > 1 {
                // Several layers read this output: its gradient is the sum of theirs.
                let total = try Memory(outputs[i].descriptor, engine: engine)
                let pd = try PrimitiveDescriptor(sumOf: contributions[i].map(\.descriptor), into: total.descriptor, engine: engine)
                sum = try BoundPrimitive(pd, arguments: contributions[i].enumerated().map { (DNNL_ARG_MULTIPLE_SRC + Int32($0.offset), $0.element) }
                                         + [(DNNL_ARG_DST, total)])
                incoming = total
            }
            let wanted = step.inputs.map { $0 != ModelGraph.modelInput && needsGradient[$0] }
            let gradients = try step.layer.buildBackward(outputGradient: incoming, inputsNeedingGradient: wanted, context: context(step))
            for (k, j) in step.inputs.enumerated() where wanted[k] {
                guard let g = gradients[k] else { throw ModelError.shape("\(step.name) gave no gradient for its input \(k + 1)") }
                contributions[j].append(g)
            }
            backward.append((step.layer, sum))
        }
        backwardSteps = backward
    }

    /// The logits of a classifier (the output).
    public var logits: Memory { output }
    /// dLoss/dLogits, filled by the loss (the output gradient).
    public var logitsGradient: Memory? { outputGradient }

    /// Trainable tensors, in layer order (kernel, then bias): what an optimizer updates.
    public var parameters: [Parameter] { layers.flatMap(\.parameters).filter(\.isTrainable) }

    /// Every tensor a model file saves: weights, trained or frozen, and layer state.
    public var storedTensors: [StoredTensor] { layers.flatMap { $0.parameters as [StoredTensor] + $0.state } }

    /// The saved form of every stored tensor (the one export `ModelFile` and `Checkpoint` use).
    public func exportedTensors() throws -> [NamedTensor] { try storedTensors.map { try $0.exported() } }

    /// Sets every stored tensor from `tensors` by name, checking shapes and that every value is
    /// finite. Errors name the tensor.
    public func load(_ tensors: [String: NamedTensor]) throws {
        for stored in storedTensors {
            guard let tensor = tensors[stored.name] else { throw ModelError.file("the weights have no tensor '\(stored.name)'") }
            guard tensor.shape == stored.savedShape else {
                throw ModelError.file("tensor '\(stored.name)' has shape \(tensor.shape), the model needs \(stored.savedShape)")
            }
            // A NaN weight makes every prediction the same confident guess; refuse it here.
            if let index = tensor.values.firstIndex(where: { !$0.isFinite }) {
                throw ModelError.file("tensor '\(stored.name)' holds \(tensor.values[index]) at index \(index): the model is broken; train it again")
            }
            try stored.setPlainValues(tensor.values)
        }
    }

    /// The name of the first stored tensor holding a NaN or an infinity, or nil when all are
    /// finite. Reads the buffers as they are (blocked padding is zero), without a reorder.
    public func firstNonFiniteParameter() -> String? {
        storedTensors.first { !$0.value.buffer.allSatisfy(\.isFinite) }?.name
    }

    /// The number of classes (logits per example) of a classifier.
    public var classCount: Int { output.dims[1] }

    /// The output of the node called `name` after the last `forward`, plain (NHWC images,
    /// `(N, D)` vectors), or nil when the network has no such node (or it ran fused into the
    /// next, or its memory was reused: build with `keepOutputs` to read any node).
    public func plainOutput(of name: String) throws -> (shape: [Int], values: [Float])? {
        guard let memory = nodeOutputs[name], !(arena?.holds(memory) ?? false) else { return nil }
        let dims = memory.dims
        let tag = dims.count == 4 ? dnnl_nhwc : dnnl_nc
        let plain = try Memory(try MemoryDescriptor(dims: dims, tag: tag), engine: engine)
        engine.useThreads()
        try Reorder(memory, into: plain, engine: engine).run(on: engine)
        try engine.wait()
        let shape = dims.count == 4 ? [dims[0], dims[2], dims[3], dims[1]] : dims
        return (shape, Array(UnsafeBufferPointer(start: plain.floats, count: dims.reduce(1, *))))
    }

    /// Runs the layers on `input`. `training` turns dropout on and batch normalisation to batch
    /// statistics; `step` numbers the batch.
    public func forward(training: Bool, step: Int = 0) throws {
        precondition(!training || isTraining, "an inference network cannot run a training pass")
        engine.useThreads()
        for layer in layers { try layer.forward(training: training, step: step) }
        try outputReorder?.run(on: engine)
        try engine.wait()
    }

    /// Back-propagates `outputGradient` through the layers (after a training `forward`).
    public func backward() throws {
        precondition(isTraining, "an inference network has no backward pass")
        engine.useThreads()
        for (layer, sum) in backwardSteps {
            try sum?.run(on: engine)
            try layer.backward()
        }
        try engine.wait()
    }
}
