import Testing
@testable import NeuralKit

/// Each backbone is Keras' model layer for layer, against the graphs Keras 3.15 reported
/// (Fixtures/keras-graphs): the same layers, one to one by name, each with Keras' inputs, output
/// shape, weight shapes and settings. A wrong padding side, epsilon, momentum, stride, name or
/// connection fails here, without Python.
///
/// The order differs where branches run side by side (Keras lists layers by depth, a
/// ResNet50 block's shortcut after its 3x3 convolution; ours run branch by branch), so the test
/// asks of each order only what matters: every layer comes after the layers it reads.
@Suite struct BackboneKerasGraphTests {
    @Test(arguments: Backbone.allCases)
    func withTopEveryLayerIsKeras(_ backbone: Backbone) throws {
        let fixture = try KerasGraphFixture(backbone.rawValue)
        let inputs = fixture.layers.filter { $0.kerasClass == "InputLayer" }
        try #require(inputs.count == 1)
        let kerasInput = inputs[0].name
        let keras = fixture.layers.filter { $0.kerasClass != "InputLayer" }
        let spec = try backbone.spec(includeTop: true)
        #expect(spec.head == .softmax)
        #expect(spec.input == .image(height: fixture.inputShape[0], width: fixture.inputShape[1], channels: fixture.inputShape[2]))

        // One to one by name.
        let names = spec.layers.map { $0.name ?? "(unnamed)" }
        #expect(Set(names).count == names.count, "a name is used twice")
        #expect(names.count == keras.count)
        #expect(Set(names).subtracting(keras.map(\.name)).isEmpty, "not in Keras: \(Set(names).subtracting(keras.map(\.name)).sorted())")
        #expect(Set(keras.map(\.name)).subtracting(names).isEmpty, "missing: \(Set(keras.map(\.name)).subtracting(names).sorted())")
        let byName = Dictionary(keras.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Both orders run every layer after those it reads.
        for order in [spec.layers.map { ($0.name ?? "", $0.inputs ?? []) }, keras.map { ($0.name, $0.inbound) }] {
            var seen: Set<String> = [ModelNode.inputName, kerasInput]
            for (name, reads) in order {
                #expect(reads.allSatisfy(seen.contains), "\(name) comes before one of \(reads)")
                seen.insert(name)
            }
        }

        // Every node run alone and kept, so each one's output shape can be read.
        let network = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 2),
                                  classifier: true, initializeWeights: false, keepOutputs: true, fuse: false)
        var tensors: [String: [[Int]]] = [:]
        for tensor in network.storedTensors {
            let layer = String(tensor.name[..<tensor.name.lastIndex(of: ".")!])
            tensors[layer, default: []].append(tensor.savedShape)
        }
        var shapes: [String: [Int]] = [ModelNode.inputName: fixture.inputShape]
        for node in spec.layers {
            guard let name = node.name, let layer = byName[name] else { continue }
            // Inputs: Keras' input layer is our `input`.
            #expect(node.inputs == layer.inbound.map { $0 == kerasInput ? ModelNode.inputName : $0 }, "\(name): inputs")
            // Output shape: the network's own, or for a zero padding folded into the convolution
            // after it (whose output is never materialised), its input's grown by the padding.
            let shape: [Int]
            if let output = try network.plainOutput(of: name) {
                shape = Array(output.shape.dropFirst())
            } else {
                guard case .zeroPadding(let p) = node.layer, let input = node.inputs?.first, let s = shapes[input] else {
                    Issue.record("\(name): the network has no output for it")
                    continue
                }
                shape = [s[0] + p.top + p.bottom, s[1] + p.left + p.right, s[2]]
            }
            shapes[name] = shape
            if layer.kerasClass == "GlobalAveragePooling2D" {
                // Ours keeps the 1x1 image; Keras' drops it: the same values in the same order.
                #expect(shape == [1, 1] + layer.outputShape || shape == layer.outputShape, "\(name): output shape \(shape)")
            } else if layer.kerasClass == "Flatten" {
                // Ours hands the dense layer the image itself, read in Keras' flattened order
                // (`flattenFeedsTheDenseLayerInKerasOrder`).
                #expect(layer.outputShape == [shape.reduce(1, *)], "\(name): output shape \(shape), Keras \(layer.outputShape)")
            } else {
                #expect(shape == layer.outputShape, "\(name): output shape \(shape), Keras \(layer.outputShape)")
            }
            #expect(tensors[name, default: []] == (layer.weights ?? []), "\(name): weight shapes")
            let isClassifier = name == "predictions"
            for problem in Self.differences(node.layer, layer, isClassifier: isClassifier) {
                Issue.record("\(name) (\(layer.kerasClass)): \(problem)")
            }
        }
    }

    @Test(arguments: Backbone.allCases)
    func withoutTopEndsWhereKerasDoes(_ backbone: Backbone) throws {
        let fixture = try KerasGraphFixture(backbone.rawValue)
        let top = try backbone.spec(includeTop: true)
        let notop = try backbone.spec(includeTop: false)
        #expect(notop.layers.last?.name == fixture.notopOutput)
        #expect(notop.layers.last?.name == backbone.lastBlock)
        let kept = fixture.layers.filter { $0.kerasClass != "InputLayer" && !fixture.topOnly.contains($0.name) }.map(\.name)
        #expect(notop.layers.map { $0.name ?? "" }.sorted() == kept.sorted())
        #expect(Array(top.layers.prefix(notop.layers.count)) == notop.layers)
        #expect(top.layers.dropFirst(notop.layers.count).map { $0.name ?? "" } == fixture.topOnly)
    }

    /// VGG16's `flatten` then `fc1`: Keras flattens channels-last images row by row, pixel by
    /// pixel, channel by channel, so row `(y * width + x) * channels + c` of the dense kernel
    /// `(in, out)` weighs pixel (y, x)'s channel c. A one-hot kernel picks out each input value
    /// in turn.
    @Test func flattenFeedsTheDenseLayerInKerasOrder() throws {
        let (height, width, channels) = (2, 3, 2)
        let spec = ModelSpec(name: "flatten", input: .image(height: height, width: width, channels: channels),
                             nodes: [ModelNode(.flatten, name: "flatten"), ModelNode(.dense(units: 1, activation: nil), name: "fc1")], head: .softmax)
        let network = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1), classifier: true,
                                  initializeWeights: false)
        let count = height * width * channels
        for y in 0..<height { for x in 0..<width { for c in 0..<channels {
            let value = Float(100 * y + 10 * x + c + 1)
            switch network.inputLayout {
            case .nchw: network.input.floats[(c * height + y) * width + x] = value
            default: network.input.floats[(y * width + x) * channels + c] = value
            }
        } } }
        for row in 0..<count {
            var kernel = [Float](repeating: 0, count: count)
            kernel[row] = 1
            try network.load(["fc1.kernel": NamedTensor(name: "fc1.kernel", shape: [count, 1], values: kernel),
                              "fc1.bias": NamedTensor(name: "fc1.bias", shape: [1], values: [0])])
            try network.forward(training: false)
            let (y, x, c) = (row / (width * channels), row / channels % width, row % channels)
            #expect(network.output.floats[0] == Float(100 * y + 10 * x + c + 1), "kernel row \(row)")
        }
    }

    /// How `ours` differs from what Keras' `layer` does, one line per setting.
    static func differences(_ ours: LayerSpec, _ layer: KerasGraphFixture.Layer, isClassifier: Bool) -> [String] {
        let k = layer.settings
        var problems: [String] = []
        func expect<T: Equatable>(_ what: String, _ mine: T?, _ theirs: T?) {
            if mine != theirs { problems.append("\(what) is \(mine.map { "\($0)" } ?? "nil"), Keras \(theirs.map { "\($0)" } ?? "nil")") }
        }
        func pair(_ size: Size2D) -> [Int] { [size.height, size.width] }
        func activation(_ function: ActivationFunction?) -> String { function?.name ?? "linear" }
        if let format = k.dataFormat { expect("data_format", "channels_last", format) }
        switch (layer.kerasClass, ours) {
        case ("Conv2D", .conv2d(let conv)):
            expect("filters", conv.filters, k.filters)
            expect("kernel", pair(conv.kernel), k.kernelSize)
            expect("strides", pair(conv.stride), k.strides)
            expect("padding", conv.padding.rawValue, k.padding)
            expect("use_bias", conv.useBias, k.useBias)
            expect("activation", activation(conv.activation), k.activation)
            expect("dilation_rate", [1, 1], k.dilationRate)
            expect("groups", 1, k.groups)
        case ("DepthwiseConv2D", .depthwiseConv2d(let conv)):
            expect("kernel", pair(conv.kernel), k.kernelSize)
            expect("strides", pair(conv.stride), k.strides)
            expect("padding", conv.padding.rawValue, k.padding)
            expect("use_bias", conv.useBias, k.useBias)
            expect("activation", activation(conv.activation), k.activation)
            expect("depth_multiplier", 1, k.depthMultiplier)
            expect("dilation_rate", [1, 1], k.dilationRate)
        case ("BatchNormalization", .batchNorm(let bn)):
            expect("epsilon", bn.epsilon, k.epsilon)
            expect("momentum", bn.momentum, k.momentum)
            expect("center", bn.center, k.center)
            expect("scale", bn.scale, k.scale)
            // Channels last: the last axis, however Keras spells it.
            if k.axis != 3 && k.axis != -1 { problems.append("axis \(k.axis.map(String.init) ?? "nil") is not the channels") }
        case ("ZeroPadding2D", .zeroPadding(let p)):
            expect("padding", [[p.top, p.bottom], [p.left, p.right]], k.paddingSides)
        case ("MaxPooling2D", .maxPool(let window)), ("AveragePooling2D", .averagePool(let window)):
            expect("pool_size", pair(window.size), k.poolSize)
            expect("strides", pair(window.stride), k.strides)
            expect("padding", window.padding.rawValue, k.padding)
        case ("GlobalAveragePooling2D", .globalAveragePool):
            expect("keepdims", false, k.keepdims)
        case ("ReLU", .activation(let function)):
            // ReLU(max_value=6) is our relu6; without max_value, relu.
            expect("activation", activation(function), k.maxValue == 6 ? "relu6" : k.maxValue == nil ? "relu" : "relu with max_value \(k.maxValue!)")
            expect("negative_slope", 0, k.negativeSlope)
            expect("threshold", 0, k.threshold)
        case ("Activation", .activation(let function)):
            expect("activation", activation(function), k.activation)
        case ("Add", .add), ("Flatten", .flatten):
            break
        case ("Concatenate", .concat):
            if k.axis != 3 && k.axis != -1 { problems.append("axis \(k.axis.map(String.init) ?? "nil") is not the channels") }
        case ("Dense", .dense(let units, let function)):
            expect("units", units, k.units)
            expect("use_bias", true, k.useBias)
            // The classifier's softmax is the model's head, not the layer's.
            expect("activation", isClassifier ? (function == nil ? "softmax" : activation(function)) : activation(function), k.activation)
        default:
            problems.append("Keras' \(layer.kerasClass) is our \(ours.type)")
        }
        return problems
    }
}
