/// RMSprop (Keras' `RMSprop`, without momentum or centring):
/// `s = rho·s + (1 - rho)·g²; w -= lr·g / sqrt(s + epsilon)`.
public final class RMSprop: Optimizer {
    init(settings: OptimizerSettings, parameters: [Parameter]) throws {
        try super.init(settings: settings, parameters: parameters, slotNames: ["velocity"])
    }

    override func update(_ index: Int, value w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int) {
        let lr = Float(settings.learningRate), rho = Float(settings.rho), epsilon = Float(settings.epsilon)
        let s = slots[0][index].floats
        for i in 0..<count {
            s[i] = rho * s[i] + (1 - rho) * g[i] * g[i]
            w[i] -= lr * g[i] / (s[i] + epsilon).squareRoot()
        }
    }
}
