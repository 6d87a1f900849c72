import DatasetKit

/// Runs a network over a set of examples in batches, without training.
public struct Evaluator {
    public let network: Network
    public let normalization: Normalization

    public init(network: Network, normalization: Normalization) {
        self.network = network
        self.normalization = normalization
    }

    /// Mean loss and accuracy over `examples` (dropout off).
    public func measure(_ examples: ExampleSet, loss: any Loss) throws -> (loss: Double, accuracy: Double) {
        var total = LossValue()
        try forEachBatch(examples) { rows, labels in
            total = total + loss.evaluate(logits: network.logits.floats, classes: network.classCount, rows: rows,
                                          batch: network.batchSize, labels: labels, gradient: nil)
        }
        let count = Double(max(examples.count, 1))
        return (total.loss / count, total.correct / count)
    }

    /// The logits of every example, row after row (`examples.count` x classes).
    public func logits(_ examples: ExampleSet) throws -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(examples.count * network.classCount)
        try forEachBatch(examples) { rows, _ in
            out.append(contentsOf: UnsafeBufferPointer(start: network.logits.floats, count: rows * network.classCount))
        }
        return out
    }

    private func forEachBatch(_ examples: ExampleSet, _ body: (_ rows: Int, _ labels: BatchLabels) throws -> Void) throws {
        let assembler = BatchAssembler(examples: examples, normalization: normalization)
        var start = 0
        while start < examples.count {
            let end = min(start + network.batchSize, examples.count)
            let labels = assembler.fill(network, positions: start..<end, epoch: 0)
            try network.forward(training: false)
            try body(end - start, labels)
            start = end
        }
    }
}


