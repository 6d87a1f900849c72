import DatasetKit
@testable import NeuralKit

/// A network set up for gradient checks: random input in [-1, 1], and the loss
/// `L = Σ logits · R` for a fixed random `R`, so dL/dlogits = R and every layer's backward pass
/// counts. Training mode with step 0's dropout masks, the same at every evaluation.
struct ProbedNetwork {
    let network: Network
    /// `R`.
    let logitWeights: [Float]
    /// Continues the set-up's random stream, for the checks' own draws.
    var generator: SeededGenerator

    init(spec: ModelSpec, batch: Int, seed: UInt64, item: String) throws {
        let network = try Network(spec: spec, batchSize: batch, training: true, engine: try ComputeEngine(threads: 2), seed: seed)
        var generator = SeededGenerator(seed: seed, item: item)
        for i in 0..<network.input.capacity { network.input.floats[i] = Float(generator.uniform(-1...1)) }
        logitWeights = (0..<network.logits.capacity).map { _ in Float(generator.uniform(-1...1)) }
        self.network = network
        self.generator = generator
    }

    /// `L` at the parameters' current values.
    func loss() throws -> Double {
        try network.forward(training: true, step: 0)
        return logitWeights.indices.reduce(0.0) { $0 + Double(network.logits.floats[$1]) * Double(logitWeights[$1]) }
    }

    /// `L`, after which every parameter holds its gradient dL/dw.
    func lossAndGradients() throws -> Double {
        let value = try loss()
        for i in logitWeights.indices { network.logitsGradient!.floats[i] = logitWeights[i] }
        try network.backward()
        return value
    }
}
