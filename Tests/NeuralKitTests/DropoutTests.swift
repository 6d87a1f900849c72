import CDNNL
import Foundation
import Testing
@testable import NeuralKit

/// Dropout's masks as Keras draws them: every value kept with probability 1 - rate and scaled by
/// 1 / (1 - rate), independently of every other value, of the other steps and of the other
/// dropout layers; the same step replays the same mask; inference passes values through.
///
/// The gradient checks fix one step's masks, so they cannot see a mask that repeats across
/// steps or layers, or keeps the wrong share: each of those trains differently (a repeated mask
/// is a thinner network, not dropout) while every gradient stays exact.
@Suite struct DropoutTests {
    /// A dropout layer built over ones in oneDNN's blocked layout (as after a convolution).
    final class Probe {
        let layer: Dropout
        let output: Memory
        let count: Int

        init(name: String, rate: Double, seed: UInt64 = 7, training: Bool = true) throws {
            let engine = try ComputeEngine(threads: 1)
            let input = try Memory(try MemoryDescriptor(dims: [32, 64, 12, 12], tag: dnnl_nChw8c), engine: engine)
            input.floats.update(repeating: 1, count: input.capacity)
            count = input.capacity
            layer = Dropout(name: name, rate: rate)
            output = try layer.buildForward(input: input, context: LayerContext(engine: engine, training: training, seed: seed))
        }

        /// The mask of `step`: the output over an input of ones.
        func mask(step: Int) throws -> [Float] {
            try layer.forward(training: true, step: step)
            return Array(UnsafeBufferPointer(start: output.floats, count: count))
        }
    }

    /// The share of positions where two masks agree (both kept or both dropped).
    static func agreement(_ a: [Float], _ b: [Float]) -> Double {
        Double(zip(a, b).filter { ($0 == 0) == ($1 == 0) }.count) / Double(a.count)
    }

    /// `observed` is within five standard errors of a share `p` over `n` draws.
    static func near(_ observed: Double, _ p: Double, n: Int) -> Bool {
        abs(observed - p) <= 5 * (p * (1 - p) / Double(n)).squareRoot()
    }

    @Test(arguments: [0.2, 0.5])
    func eachValueIsKeptWithProbabilityOneMinusRateAndScaled(rate: Double) throws {
        let probe = try Probe(name: "dropout_1", rate: rate)
        for step in 0..<3 {
            let mask = try probe.mask(step: step)
            let scale = Float(1 / (1 - rate))
            #expect(mask.allSatisfy { $0 == 0 || $0 == scale }, "values are dropped or scaled by 1 / (1 - rate)")
            let kept = Double(mask.filter { $0 != 0 }.count) / Double(mask.count)
            #expect(Self.near(kept, 1 - rate, n: mask.count), "step \(step) kept \(kept)")
            // Every example gets its own draw, not one mask shared by the batch.
            let perExample = mask.count / 32
            let first = Array(mask[0..<perExample]), second = Array(mask[perExample..<(2 * perExample)])
            let p = (1 - rate) * (1 - rate) + rate * rate
            #expect(Self.near(Self.agreement(first, second), p, n: perExample))
        }
    }

    @Test func masksAreIndependentAcrossStepsAndLayersAndReplayPerStep() throws {
        let rate = 0.2, p = 0.8 * 0.8 + 0.2 * 0.2
        let first = try Probe(name: "dropout_1", rate: rate), second = try Probe(name: "dropout_2", rate: rate)
        let step0 = try first.mask(step: 0), step1 = try first.mask(step: 1), later = try first.mask(step: 1000)
        let n = step0.count
        #expect(Self.near(Self.agreement(step0, step1), p, n: n), "consecutive steps draw afresh")
        #expect(Self.near(Self.agreement(step0, later), p, n: n))
        #expect(Self.near(Self.agreement(step0, try second.mask(step: 0)), p, n: n), "layers draw apart")
        #expect(Self.near(Self.agreement(step0, try Probe(name: "dropout_1", rate: rate, seed: 8).mask(step: 0)), p, n: n),
                "another seed, another mask")
        #expect(try first.mask(step: 0) == step0, "a step's mask replays")
    }

    @Test func inferencePassesValuesThrough() throws {
        let probe = try Probe(name: "dropout_1", rate: 0.5, training: false)
        try probe.layer.forward(training: false, step: 3)
        #expect(UnsafeBufferPointer(start: probe.output.floats, count: probe.count).allSatisfy { $0 == 1 })
    }
}
