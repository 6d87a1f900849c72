import Foundation
import Testing
@testable import NeuralKit

/// Two steps of each optimizer on known gradients against Keras 3's update rules by hand.
@Suite struct OptimizerTests {
    /// A dense layer's kernel (3 -> 2) as the parameter to update.
    static func parameter() throws -> (Network, Parameter) {
        let spec = ModelSpec(name: "t", input: .features(3), layers: [.dense(units: 2, activation: nil)], head: .softmax)
        let network = try Network(spec: spec, batchSize: 1, training: true, engine: try ComputeEngine(threads: 1))
        return (network, network.parameters[0])
    }

    static let start: [Float] = [0.5, -0.25, 1.0, 0.0, 2.0, -1.5]
    static let gradients: [[Float]] = [[0.1, -0.2, 0.3, 0.0, -1.0, 0.5], [0.2, 0.2, -0.1, 0.4, 0.0, -0.5]]

    /// Runs two steps; returns the values after them.
    static func run(_ settings: OptimizerSettings) throws -> [Float] {
        let (_, parameter) = try parameter()
        try parameter.setPlainValues(start)
        let optimizer = try settings.makeOptimizer(for: [parameter])
        for g in gradients {
            try parameter.setFromPlain(g, into: parameter.gradient!)
            optimizer.step()
        }
        return try parameter.plainValues()
    }

    static func expectClose(_ a: [Float], _ b: [Double]) {
        for (x, y) in zip(a, b) { #expect(abs(Double(x) - y) < 1e-5, "\(a) vs \(b)") }
    }

    @Test func sgd() throws {
        let got = try Self.run(OptimizerSettings(kind: .sgd, learningRate: 0.1))
        Self.expectClose(got, (0..<6).map { Double(Self.start[$0]) - 0.1 * Double(Self.gradients[0][$0] + Self.gradients[1][$0]) })
    }

    @Test func sgdWithMomentumAndWeightDecay() throws {
        let got = try Self.run(OptimizerSettings(kind: .sgd, learningRate: 0.1, weightDecay: 0.01, momentum: 0.9))
        let expected = (0..<6).map { i -> Double in
            var w = Double(Self.start[i]), v = 0.0
            for g in Self.gradients {
                w -= 0.1 * 0.01 * w
                v = 0.9 * v - 0.1 * Double(g[i])
                w += v
            }
            return w
        }
        Self.expectClose(got, expected)
    }

    @Test func rmsprop() throws {
        let got = try Self.run(OptimizerSettings(kind: .rmsprop, learningRate: 0.01))
        let expected = (0..<6).map { i -> Double in
            var w = Double(Self.start[i]), s = 0.0
            for g in Self.gradients {
                let gi = Double(g[i])
                s = 0.9 * s + 0.1 * gi * gi
                w -= 0.01 * gi / (s + 1e-7).squareRoot()
            }
            return w
        }
        Self.expectClose(got, expected)
    }

    @Test func adam() throws {
        let got = try Self.run(OptimizerSettings(kind: .adam, learningRate: 0.01))
        let expected = (0..<6).map { i -> Double in
            var w = Double(Self.start[i]), m = 0.0, v = 0.0
            for (t, g) in Self.gradients.enumerated() {
                let gi = Double(g[i]), step = Double(t + 1)
                m += (gi - m) * 0.1
                v += (gi * gi - v) * 0.001
                let lr = 0.01 * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.9, step))
                w -= lr * m / (v.squareRoot() + 1e-7)
            }
            return w
        }
        Self.expectClose(got, expected)
    }

    @Test func stateRoundTrips() throws {
        let (_, parameter) = try Self.parameter()
        try parameter.setPlainValues(Self.start)
        let optimizer = try OptimizerSettings(kind: .adam).makeOptimizer(for: [parameter])
        try parameter.setFromPlain(Self.gradients[0], into: parameter.gradient!)
        optimizer.step()
        let saved = try optimizer.stateTensors()
        #expect(saved.map(\.name) == ["m/dense_1.kernel", "v/dense_1.kernel"])
        let (_, other) = try Self.parameter()
        let restored = try OptimizerSettings(kind: .adam).makeOptimizer(for: [other])
        try restored.restore(Dictionary(uniqueKeysWithValues: saved.map { ($0.name, $0) }), iterations: optimizer.iterations)
        #expect(try restored.stateTensors() == saved)
        #expect(restored.iterations == 1)
    }
}
