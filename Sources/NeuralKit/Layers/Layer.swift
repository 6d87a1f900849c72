/// What a layer is built for: the engine, whether it will be trained, and the seed its random
/// choices (initial weights, dropout masks) derive from.
public struct LayerContext: Sendable {
    public var engine: ComputeEngine
    /// Training networks keep what backward passes need (pooling workspaces) and run dropout.
    public var training: Bool
    public var seed: UInt64
    /// Whether this layer's own weights are trained (false for a frozen layer, or in an
    /// inference network). A frozen batch normalisation runs with its moving statistics.
    public var trainable: Bool
    /// Whether weights start from Keras' initialisers (false: zeros, for weights about to be
    /// loaded; drawing VGG16's 138 million values would take longer than reading them).
    public var initializeWeights: Bool
    /// Where an inference network places layer outputs (nil: each output its own memory).
    var arena: ActivationArena?

    /// Memory for a layer's output: placed by the network's arena, or allocated.
    func output(_ layout: MemoryDescriptor) throws(DNNLError) -> Memory {
        if let arena { return try arena.output(layout, engine: engine) }
        return try Memory(layout, engine: engine)
    }

    public init(engine: ComputeEngine, training: Bool, seed: UInt64, trainable: Bool? = nil, initializeWeights: Bool = true) {
        self.engine = engine
        self.training = training
        self.seed = seed
        self.trainable = trainable ?? training
        self.initializeWeights = initializeWeights
    }
}

/// One node of a network on oneDNN.
///
/// A layer is built once for a batch size: `buildForward` creates its forward primitives for the
/// layouts its inputs come in and returns its output; `buildBackward`, called in reverse order,
/// gets the memory that will hold dLoss/dOutput and returns, per input, the memory it writes
/// that input's gradient into. Gradients accumulate: a layer never writes into memory it was
/// handed (its inputs, its output gradient), and where a tensor is read by several layers the
/// network sums their contributions. Layouts are the primitives' own (blocked) choices; a layer
/// reorders only when its neighbour's layout differs.
public protocol Layer: AnyObject {
    /// Unique within the network (`conv2d_1`, `block1_conv1`), names the layer's weights in
    /// model files.
    var name: String { get }
    /// Weights, trained or frozen (empty for pooling, dropout, flatten).
    var parameters: [Parameter] { get }
    /// Tensors saved with the weights but never trained (batch normalisation's moving mean and
    /// variance).
    var state: [StoredTensor] { get }

    /// Creates the forward primitives reading `inputs`; returns the output memory.
    func buildForward(inputs: [Memory], context: LayerContext) throws -> Memory
    /// Creates the backward primitives; `outputGradient` will hold dLoss/dOutput when `backward`
    /// runs and must not be written. Returns dLoss/dInput for each input whose entry in
    /// `inputsNeedingGradient` is true (nil for the others), in memories the layer owns.
    func buildBackward(outputGradient: Memory, inputsNeedingGradient: [Bool], context: LayerContext) throws -> [Memory?]
    /// Computes the output from the inputs. `step` numbers training batches (dropout masks).
    func forward(training: Bool, step: Int) throws
    /// Computes the input gradients, and the weight gradients of trained parameters
    /// (overwritten, once per step).
    func backward() throws
    /// oneDNN's implementation of each primitive (e.g. `jit:avx2`), for diagnostics.
    var implementations: [String] { get }
    /// The plain layout the layer reads a network input in best (planar NCHW for a
    /// convolution over 3-channel images), or nil for no preference.
    func preferredInputLayout(dims: [Int], context: LayerContext) throws -> MemoryDescriptor?
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var state: [StoredTensor] { [] }
    public var implementations: [String] { [] }
    public func preferredInputLayout(dims: [Int], context: LayerContext) throws -> MemoryDescriptor? { nil }
}

/// A layer with one input: it builds from that input and returns that input's gradient.
public protocol UnaryLayer: Layer {
    func buildForward(input: Memory, context: LayerContext) throws -> Memory
    /// Returns dLoss/dInput (a memory the layer owns), or nil when `needsInputGradient` is false.
    func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory?
}

extension UnaryLayer {
    public func buildForward(inputs: [Memory], context: LayerContext) throws -> Memory {
        guard inputs.count == 1 else { throw ModelError.shape("\(name) reads one input, not \(inputs.count)") }
        return try buildForward(input: inputs[0], context: context)
    }

    public func buildBackward(outputGradient: Memory, inputsNeedingGradient: [Bool], context: LayerContext) throws -> [Memory?] {
        [try buildBackward(outputGradient: outputGradient, needsInputGradient: inputsNeedingGradient.first ?? false, context: context)]
    }
}
