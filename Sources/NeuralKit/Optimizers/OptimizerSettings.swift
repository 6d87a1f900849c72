/// The optimizers of `--optimizer`, with Keras 3's defaults and update rules.
public enum OptimizerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case sgd, rmsprop, adam

    /// Keras' default learning rate.
    public var defaultLearningRate: Double {
        switch self {
        case .sgd: 0.01
        case .rmsprop, .adam: 0.001
        }
    }
}

/// An optimizer's hyper-parameters, as recorded in `model.json`.
public struct OptimizerSettings: Sendable, Hashable, Codable {
    public var kind: OptimizerKind
    public var learningRate: Double
    /// Decoupled weight decay, as Keras 3's `weight_decay`: each step first does
    /// `w -= learningRate · weightDecay · w`, for every weight.
    public var weightDecay: Double = 0
    /// SGD's momentum (Keras: `velocity = momentum · velocity - lr · g; w += velocity`).
    public var momentum: Double = 0
    /// RMSprop's decay of the mean square.
    public var rho: Double = 0.9
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-7

    public init(kind: OptimizerKind, learningRate: Double? = nil, weightDecay: Double = 0, momentum: Double = 0) {
        self.kind = kind
        self.learningRate = learningRate ?? kind.defaultLearningRate
        self.weightDecay = weightDecay
        self.momentum = momentum
    }

    /// An optimizer for `parameters` with fresh state.
    public func makeOptimizer(for parameters: [Parameter]) throws -> Optimizer {
        switch kind {
        case .sgd: try SGD(settings: self, parameters: parameters)
        case .rmsprop: try RMSprop(settings: self, parameters: parameters)
        case .adam: try Adam(settings: self, parameters: parameters)
        }
    }
}
