import DatasetKit

extension ModelSpec {
    /// Checks every number of the spec before anything is built from it: the input within
    /// `ModelLimits`, each layer's sizes at least 1 and within the limits, each layer fitting
    /// the shape the previous one produces (so no layer shrinks its input to nothing), every
    /// size computed without overflow, and a dense last layer. Errors name the field
    /// (`layers[2] (max_pool_1): size is 0 ...`), after `field` (e.g. `architecture.`).
    public func validate(field prefix: String = "") throws(ModelError) {
        func fail(_ field: String, _ reason: String) -> ModelError { .shape("\(prefix)\(field) \(reason)") }
        func check(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws(ModelError) {
            guard range.contains(value) else { throw fail(field, "is \(value); it must be \(range.lowerBound)-\(range.upperBound)") }
        }
        var shape: ExampleShape
        switch input {
        case let .image(height, width, channels):
            try check(height, 1...ModelLimits.maxSide, "input.height")
            try check(width, 1...ModelLimits.maxSide, "input.width")
            try check(channels, 1...ModelLimits.maxWidth, "input.channels")
            shape = .image(channels: channels, height: height, width: width)
        case .features(let count):
            try check(count, 1...ModelLimits.maxFeatures, "input.features")
            shape = .flat(count)
        }
        guard !layers.isEmpty else { throw fail("layers", "is empty; a model ends in a dense layer") }
        var parameters = 0
        func addParameters(_ factors: Int..., field: String) throws(ModelError) {
            guard let count = CheckedSize.product(factors), let total = CheckedSize.sum(parameters, count),
                  total <= ModelLimits.maxParameters else {
                throw fail(field, "takes the model past \(ModelLimits.maxParameters) weights")
            }
            parameters = total
        }
        for (index, (layer, name)) in zip(layers, layerNames).enumerated() {
            let field = "layers[\(index)] (\(name))"
            func image() throws(ModelError) -> (channels: Int, height: Int, width: Int) {
                guard case let .image(channels, height, width) = shape else {
                    throw fail(field, "needs an image input; the layers before it give \(shape)")
                }
                return (channels, height, width)
            }
            switch layer {
            case let .conv2d(filters, kernel, stride, padding, activation):
                let (channels, height, width) = try image()
                try check(filters, 1...ModelLimits.maxWidth, field + ".filters")
                try check(kernel, 1...ModelLimits.maxSide, field + ".kernel")
                try check(stride, 1...ModelLimits.maxSide, field + ".stride")
                try activation.map { f throws(ModelError) in try Self.check(f, field: prefix + field) }
                let rows = padding.window(input: height, kernel: kernel, stride: stride)
                let cols = padding.window(input: width, kernel: kernel, stride: stride)
                guard rows.output > 0, cols.output > 0 else {
                    throw fail(field, "is a \(kernel)x\(kernel) \(padding.rawValue) convolution, larger than its \(height)x\(width) input")
                }
                try addParameters(kernel, kernel, channels, filters, field: field)
                try addParameters(filters, field: field)
                shape = .image(channels: filters, height: rows.output, width: cols.output)
            case .maxPool(let size):
                let (channels, height, width) = try image()
                try check(size, 1...ModelLimits.maxSide, field + ".size")
                guard size <= height, size <= width else {
                    throw fail(field, "is a \(size)x\(size) pool, larger than its \(height)x\(width) input")
                }
                shape = .image(channels: channels, height: height / size, width: width / size)
            case .globalAveragePool:
                shape = .image(channels: try image().channels, height: 1, width: 1)
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
                break
            }
            guard let values = shape.values, values <= ModelLimits.maxValuesPerExample else {
                throw fail(field, "outputs \(shape) per example, more than the limit of \(ModelLimits.maxValuesPerExample) values")
            }
        }
        guard case .dense = layers.last else { throw fail("layers[\(layers.count - 1)]", "is \(layers.last!.type); the last layer must be dense (one output per class)") }
    }

    private static func check(_ function: ActivationFunction, field: String) throws(ModelError) {
        if case .leakyReLU(let slope) = function, !slope.isFinite {
            throw .shape("\(field).negative_slope is \(slope); it must be a finite number")
        }
    }
}

/// The shape of one example between two layers.
private enum ExampleShape: CustomStringConvertible {
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
