/// Updates parameters from their gradients, keeping per-parameter state ("slots": Adam's
/// moments, a momentum velocity) in the parameters' own layouts. The update loops run over
/// whole buffers; blocked layouts' padding has zero value and gradient and stays zero.
public class Optimizer {
    public let settings: OptimizerSettings
    public let parameters: [Parameter]
    /// Steps taken (Keras' `iterations`; Adam's bias correction counts from it).
    public internal(set) var iterations = 0
    /// `slots[s][p]`: slot `slotNames[s]` of parameter `p`.
    let slots: [[Memory]]
    let slotNames: [String]

    init(settings: OptimizerSettings, parameters: [Parameter], slotNames: [String]) throws {
        self.settings = settings
        self.parameters = parameters
        self.slotNames = slotNames
        slots = try slotNames.map { _ in try parameters.map { try Memory($0.value.descriptor, engine: $0.engine) } }
    }

    /// One update of every parameter from its current gradient.
    public func step() {
        iterations += 1
        let decay = Float(settings.learningRate * settings.weightDecay)
        for (index, parameter) in parameters.enumerated() {
            let w = parameter.value.floats, count = parameter.value.capacity
            if decay != 0 { for i in 0..<count { w[i] -= decay * w[i] } }
            update(index, value: w, gradient: UnsafePointer(parameter.gradient!.floats), count: count)
        }
    }

    /// The rule itself, for parameter `index`.
    func update(_ index: Int, value: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, count: Int) {
        fatalError("subclasses implement update")
    }

    /// The state as named tensors in the parameters' saved layouts (`<slot>/<parameter>`), for
    /// checkpoints.
    public func stateTensors() throws -> [NamedTensor] {
        var tensors: [NamedTensor] = []
        for (s, name) in slotNames.enumerated() {
            for (p, parameter) in parameters.enumerated() {
                tensors.append(NamedTensor(name: "\(name)/\(parameter.name)", shape: parameter.savedShape,
                                           values: try parameter.plainCopy(of: slots[s][p])))
            }
        }
        return tensors
    }

    /// Restores the state saved by `stateTensors`.
    public func restore(_ tensors: [String: NamedTensor], iterations: Int) throws {
        for (s, name) in slotNames.enumerated() {
            for (p, parameter) in parameters.enumerated() {
                guard let tensor = tensors["\(name)/\(parameter.name)"], tensor.values.count == parameter.count else {
                    throw ModelError.file("the checkpoint has no optimizer state '\(name)' for \(parameter.name)")
                }
                guard tensor.values.allSatisfy(\.isFinite) else {
                    throw ModelError.file("the checkpoint's optimizer state '\(name)' for \(parameter.name) holds NaN or infinity")
                }
                try parameter.setFromPlain(tensor.values, into: slots[s][p])
            }
        }
        self.iterations = iterations
    }
}
