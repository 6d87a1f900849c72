/// Stochastic gradient descent, with optional momentum (Keras' `SGD`).
public final class SGD: Optimizer {
    init(settings: OptimizerSettings, parameters: [Parameter]) throws {
        try super.init(settings: settings, parameters: parameters, slotNames: settings.momentum > 0 ? ["velocity"] : [])
    }

    override func update(_ index: Int, value w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int) {
        let lr = Float(settings.learningRate)
        guard settings.momentum > 0 else {
            for i in 0..<count { w[i] -= lr * g[i] }
            return
        }
        let momentum = Float(settings.momentum)
        let v = slots[0][index].floats
        for i in 0..<count {
            v[i] = momentum * v[i] - lr * g[i]
            w[i] += v[i]
        }
    }
}
