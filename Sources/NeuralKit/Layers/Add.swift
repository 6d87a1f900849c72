import CDNNL

/// The element-wise sum of two or more tensors of one shape (Keras' `Add`: ResNet's and
/// MobileNetV2's residual connections), on oneDNN's sum primitive in the first input's layout.
/// Its backward pass costs nothing: each input's gradient is the output's, in that input's layout.
public final class Add: Layer {
    public let name: String

    private var inputs: [Memory] = []
    private var step: PrimitiveStep!
    private var gradientReorders: [Reorder] = []
    private var engine: ComputeEngine!

    public init(name: String) { self.name = name }

    public func buildForward(inputs: [Memory], context: LayerContext) throws -> Memory {
        engine = context.engine
        guard inputs.count >= 2, let first = inputs.first else { throw ModelError.shape("\(name) adds two or more inputs, not \(inputs.count)") }
        for other in inputs where other.dims != first.dims {
            throw ModelError.shape("\(name) adds tensors of shapes \(first.dims) and \(other.dims)")
        }
        self.inputs = inputs
        let output = try context.output(first.descriptor)
        let pd = try PrimitiveDescriptor(sumOf: inputs.map(\.descriptor), into: first.descriptor, engine: engine)
        step = try PrimitiveStep(pd, inputs: inputs.enumerated().map { .source($0.offset, $0.element) }, outputs: [.dst(output)], engine: engine)
        return output
    }

    public func buildBackward(outputGradient: Memory, inputsNeedingGradient: [Bool], context: LayerContext) throws -> [Memory?] {
        try zip(inputs, inputsNeedingGradient).map { input, needed in
            guard needed else { return nil }
            // Read-only: the same memory may serve several inputs.
            let (gradient, reorder) = try Reorder.adapting(outputGradient, to: input.descriptor, engine: context.engine)
            if let reorder { gradientReorders.append(reorder) }
            return gradient
        }
    }

    public func forward(training: Bool, step: Int) throws { try self.step.run(on: engine) }

    public func backward() throws { for reorder in gradientReorders { try reorder.run(on: engine) } }

    public var implementations: [String] { [step.implementation] }
}
