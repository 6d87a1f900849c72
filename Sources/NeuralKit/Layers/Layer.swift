/// What a layer is built for: the engine, whether it will be trained, and the seed its random
/// choices (initial weights, dropout masks) derive from.
public struct LayerContext: Sendable {
    public var engine: ComputeEngine
    /// Training networks keep what backward passes need (pooling workspaces) and run dropout.
    public var training: Bool
    public var seed: UInt64
}

/// One step of a sequential network on oneDNN.
///
/// A layer is built once for a batch size: `buildForward` creates its forward primitives for the
/// layout the previous layer produces and returns its output; `buildBackward`, called from the
/// last layer down, gets the memory that will hold the loss gradient of its output and returns
/// the one it writes for its input. Layouts are the primitives' own (blocked) choices; a layer
/// reorders only when its neighbour's layout differs.
public protocol Layer: AnyObject {
    /// Unique within the network (`conv2d_1`), names the layer's weights in model files.
    var name: String { get }
    /// Trainable weights (empty for pooling, dropout, flatten).
    var parameters: [Parameter] { get }

    /// Creates the forward primitives reading `input`; returns the output memory.
    func buildForward(input: Memory, context: LayerContext) throws -> Memory
    /// Creates the backward primitives; `outputGradient` will hold dLoss/dOutput when `backward`
    /// runs. Returns the memory of dLoss/dInput, or nil when `needsInputGradient` is false.
    func buildBackward(outputGradient: Memory, needsInputGradient: Bool, context: LayerContext) throws -> Memory?
    /// Computes the output from the input. `step` numbers training batches (dropout masks).
    func forward(training: Bool, step: Int) throws
    /// Computes the input gradient and accumulates nothing: weight gradients are overwritten.
    func backward() throws
    /// oneDNN's implementation of each primitive (e.g. `jit:avx512_core`), for diagnostics.
    var implementations: [String] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
    public var implementations: [String] { [] }
}
