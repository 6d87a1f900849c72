import Foundation

/// Adam (Keras' `Adam`): `m += (g - m)(1 - β1); v += (g² - v)(1 - β2);
/// w -= lr·sqrt(1 - β2^t)/(1 - β1^t) · m / (sqrt(v) + epsilon)`.
public final class Adam: Optimizer {
    init(settings: OptimizerSettings, parameters: [Parameter]) throws {
        try super.init(settings: settings, parameters: parameters, slotNames: ["m", "v"])
    }

    override func update(_ index: Int, value w: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count: Int) {
        let t = Double(iterations)
        let lr = Float(settings.learningRate * (1 - pow(settings.beta2, t)).squareRoot() / (1 - pow(settings.beta1, t)))
        let b1 = Float(1 - settings.beta1), b2 = Float(1 - settings.beta2), epsilon = Float(settings.epsilon)
        let m = slots[0][index].floats, v = slots[1][index].floats
        for i in 0..<count {
            m[i] += (g[i] - m[i]) * b1
            v[i] += (g[i] * g[i] - v[i]) * b2
            w[i] -= lr * m[i] / (v[i].squareRoot() + epsilon)
        }
    }
}
