import DatasetKit
@testable import NeuralKit

/// Runs a graph forward on one batch and returns its output, plain (NHWC or `(N, D)`).
/// `input` is NHWC (or `(N, D)`), whatever layout the network reads it in.
func forwardOutput(_ spec: ModelSpec, batch: Int, input: [Float], weights: [NamedTensor] = [], training: Bool = false) throws -> [Float] {
    let network = try Network(spec: spec, batchSize: batch, training: training, engine: try ComputeEngine(threads: 2), classifier: false)
    if !weights.isEmpty { try network.load(Dictionary((try network.exportedTensors() + weights).map { ($0.name, $0) }, uniquingKeysWith: { _, given in given })) }
    write(input, into: network)
    try network.forward(training: training)
    return Array(UnsafeBufferPointer(start: network.output.floats, count: network.output.dims.reduce(1, *)))
}

/// Writes an NHWC (or flat) batch into the network's input in its layout.
func write(_ values: [Float], into network: Network) {
    let dims = network.input.dims
    precondition(values.count == dims.reduce(1, *))
    guard network.inputLayout == .nchw else {
        for i in values.indices { network.input.floats[i] = values[i] }
        return
    }
    let (n, c, h, w) = (dims[0], dims[1], dims[2], dims[3])
    for b in 0..<n { for y in 0..<h { for x in 0..<w { for k in 0..<c {
        network.input.floats[((b * c + k) * h + y) * w + x] = values[((b * h + y) * w + x) * c + k]
    } } } }
}

/// Deterministic values in [-1, 1).
func pseudoRandom(_ count: Int, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed, item: "graph-test")
    return (0..<count).map { _ in Float(generator.uniform(-1...1)) }
}

/// Index of (b, y, x, c) in an NHWC array.
@inline(__always) func nhwc(_ b: Int, _ y: Int, _ x: Int, _ c: Int, h: Int, w: Int, c channels: Int) -> Int {
    ((b * h + y) * w + x) * channels + c
}
