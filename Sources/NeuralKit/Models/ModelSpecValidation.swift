import DatasetKit

extension ModelSpec {
    /// Checks every number of the spec before anything is built from it: the input within
    /// `ModelLimits`, node names unique and every `inputs` reference to a node before it, each
    /// layer's sizes at least 1 and within the limits, each layer fitting the shapes its inputs
    /// have (so no layer shrinks its input to nothing; `add` takes equal shapes, `concat` equal
    /// sizes), every size computed without overflow, and, for a classifier, a dense last layer.
    /// Errors name the field (`layers[2] (max_pool_1): size is 0 ...`), after `field` (e.g.
    /// `architecture.`).
    /// Returns the number of weights (batch-norm statistics included, as Keras'
    /// `count_params()`).
    @discardableResult
    public func validate(field prefix: String = "", classifier: Bool = true) throws(ModelError) -> Int {
        func fail(_ field: String, _ reason: String) -> ModelError { .shape("\(prefix)\(field) \(reason)") }
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws(ModelError) {
            guard range.contains(value) else { throw fail(field, "is \(value); it must be \(range.lowerBound)-\(range.upperBound)") }
        }
        let inputShape: ExampleShape
        switch input {
        case let .image(height, width, channels):
            try check(height, 1...ModelLimits.maxSide, "input.height")
            try check(width, 1...ModelLimits.maxSide, "input.width")
            try check(channels, 1...ModelLimits.maxWidth, "input.channels")
            inputShape = .image(channels: channels, height: height, width: width)
        case .features(let count):
            try check(count, 1...ModelLimits.maxFeatures, "input.features")
            inputShape = .flat(count)
        }
        guard !layers.isEmpty else { throw fail("layers", "is empty; a model ends in a dense layer") }
        guard layers.count <= ModelLimits.maxLayers else { throw fail("layers", "holds \(layers.count) layers; at most \(ModelLimits.maxLayers)") }
        let graph: ModelGraph
        do { graph = try ModelGraph(self) } catch {
            guard case .shape(let reason) = error else { throw error }
            throw .shape(prefix + reason)
        }
        var parameters = 0
        func addParameters(_ factors: Int..., field: String) throws(ModelError) {
            guard let count = CheckedSize.product(factors), let total = CheckedSize.sum(parameters, count),
                  total <= ModelLimits.maxParameters else {
                throw fail(field, "takes the model past \(ModelLimits.maxParameters) weights")
            }
            parameters = total
        }
        var shapes: [ExampleShape] = []
        for (index, node) in graph.nodes.enumerated() {
            let field = "layers[\(index)] (\(node.name))"
            let inputs = node.inputs.map { $0 == ModelGraph.modelInput ? inputShape : shapes[$0] }
            var shape = inputs[0]
            func image(_ s: ExampleShape? = nil) throws(ModelError) -> (channels: Int, height: Int, width: Int) {
                guard case let .image(channels, height, width) = s ?? shape else {
                    throw fail(field, "needs an image input; the layers before it give \(s ?? shape)")
                }
                return (channels, height, width)
            }
            func checkSizes(_ kernel: Size2D, _ stride: Size2D, _ what: String) throws(ModelError) {
                for (size, name) in [(kernel, what), (stride, "stride")] {
                    if size.height == size.width {
                        try check(size.height, 1...ModelLimits.maxSide, field + ".\(name)")
                    } else {
                        try check(size.height, 1...ModelLimits.maxSide, field + ".\(name)[0]")
                        try check(size.width, 1...ModelLimits.maxSide, field + ".\(name)[1]")
                    }
                }
            }
            func windowOutput(_ kernel: Size2D, _ stride: Size2D, _ padding: Padding, height: Int, width: Int,
                              what: String) throws(ModelError) -> (Int, Int) {
                let rows = padding.window(input: height, kernel: kernel.height, stride: stride.height)
                let cols = padding.window(input: width, kernel: kernel.width, stride: stride.width)
                guard rows.output > 0, cols.output > 0 else {
                    let kind = what == "convolution" || padding != .valid ? " \(padding.rawValue)" : ""
                    throw fail(field, "is a \(kernel)\(kind) \(what), larger than its \(height)x\(width) input")
                }
                return (rows.output, cols.output)
            }
            switch node.layer {
            case .conv2d(let conv):
                let (channels, height, width) = try image()
                try check(conv.filters, 1...ModelLimits.maxWidth, field + ".filters")
                try checkSizes(conv.kernel, conv.stride, "kernel")
                try conv.activation.map { f throws(ModelError) in try Self.check(f, field: prefix + field) }
                let (h, w) = try windowOutput(conv.kernel, conv.stride, conv.padding, height: height, width: width, what: "convolution")
                try addParameters(conv.kernel.height, conv.kernel.width, channels, conv.filters, field: field)
                if conv.useBias { try addParameters(conv.filters, field: field) }
                shape = .image(channels: conv.filters, height: h, width: w)
            case .depthwiseConv2d(let conv):
                let (channels, height, width) = try image()
                try checkSizes(conv.kernel, conv.stride, "kernel")
                try conv.activation.map { f throws(ModelError) in try Self.check(f, field: prefix + field) }
                let (h, w) = try windowOutput(conv.kernel, conv.stride, conv.padding, height: height, width: width, what: "convolution")
                try addParameters(conv.kernel.height, conv.kernel.width, channels, field: field)
                if conv.useBias { try addParameters(channels, field: field) }
                shape = .image(channels: channels, height: h, width: w)
            case .batchNorm(let bn):
                let channels = try image().channels
                guard bn.epsilon.isFinite, bn.epsilon > 0, bn.epsilon < 1 else { throw fail(field + ".epsilon", "is \(bn.epsilon); it must be in (0, 1)") }
                guard bn.momentum.isFinite, (0...1).contains(bn.momentum) else { throw fail(field + ".momentum", "is \(bn.momentum); it must be in [0, 1]") }
                try addParameters((bn.scale ? 1 : 0) + (bn.center ? 1 : 0) + 2, channels, field: field)
            case .zeroPadding(let p):
                let (channels, height, width) = try image()
                for (side, value) in [("top", p.top), ("bottom", p.bottom), ("left", p.left), ("right", p.right)] {
                    try check(value, 0...ModelLimits.maxSide, field + ".padding.\(side)")
                }
                shape = .image(channels: channels, height: height + p.top + p.bottom, width: width + p.left + p.right)
            case .maxPool(let window), .averagePool(let window):
                if case .maxPool = node.layer, window.includesPadding {
                    throw fail(field + ".include_padding", "applies to average_pool only")
                }
                let (channels, height, width) = try image()
                try checkSizes(window.size, window.stride, "size")
                let (h, w) = try windowOutput(window.size, window.stride, window.padding, height: height, width: width, what: "pool")
                shape = .image(channels: channels, height: h, width: w)
            case .globalAveragePool, .globalMaxPool:
                shape = .image(channels: try image().channels, height: 1, width: 1)
            case .add:
                for (k, other) in inputs.enumerated() where other != inputs[0] {
                    throw fail(field, "adds inputs of different shapes: \(inputs[0]) and \(other) (\(node.inputs.count) inputs, #\(k + 1) differs)")
                }
            case .concat:
                let first = try image(inputs[0])
                var channels = 0
                for other in inputs {
                    let s = try image(other)
                    guard s.height == first.height, s.width == first.width else {
                        throw fail(field, "concatenates inputs of different sizes: \(inputs[0]) and \(other)")
                    }
                    guard let sum = CheckedSize.sum(channels, s.channels), sum <= ModelLimits.maxWidth else {
                        throw fail(field, "concatenates more than \(ModelLimits.maxWidth) channels")
                    }
                    channels = sum
                }
                shape = .image(channels: channels, height: first.height, width: first.width)
            case let .dense(units, activation):
                try check(units, 1...ModelLimits.maxWidth, field + ".units")
                try activation.map { f throws(ModelError) in try Self.check(f, field: prefix + field) }
                try addParameters(shape.values ?? Int.max, units, field: field)
                try addParameters(units, field: field)
                shape = .flat(units)
            case .activation(let function):
                try Self.check(function, field: prefix + field)
            case .dropout(let rate):
                guard rate.isFinite, rate >= 0, rate < 1 else { throw fail(field + ".rate", "is \(rate); it must be in [0, 1)") }
            case .flatten:
                shape = .flat(shape.values ?? Int.max)
            }
            guard let values = shape.values, values <= ModelLimits.maxValuesPerExample else {
                throw fail(field, "outputs \(shape) per example, more than the limit of \(ModelLimits.maxValuesPerExample) values")
            }
            shapes.append(shape)
        }
        if classifier && outputCount == nil {
            throw fail("layers[\(layers.count - 1)]", "is \(layers.last!.layer.type); the last layer must be dense (one output per class)")
        }
        return parameters
    }

    private static func check(_ function: ActivationFunction, field: String) throws(ModelError) {
        if case .leakyReLU(let slope) = function, !(slope.isFinite && slope >= 0) {
            throw .shape("\(field).negative_slope is \(slope); it must be a finite number, 0 or more")
        }
    }
}

/// The shape of one example between two layers.
private enum ExampleShape: Equatable, CustomStringConvertible {
    case image(channels: Int, height: Int, width: Int)
    case flat(Int)

    /// Values per example, or nil when that overflows.
    var values: Int? {
        switch self {
        case let .image(channels, height, width): CheckedSize.product(channels, height, width)
        case .flat(let count): count
        }
    }

    var description: String {
        switch self {
        case let .image(channels, height, width): "\(height)x\(width)x\(channels)"
        case .flat(let count): "\(count) values"
        }
    }
}
