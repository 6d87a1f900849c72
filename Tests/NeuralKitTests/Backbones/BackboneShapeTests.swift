import Testing
@testable import NeuralKit

/// Each backbone has exactly the weights `keras.applications` reports (`model.count_params()`,
/// batch-norm statistics included) and Keras' output shapes.
@Suite struct BackboneShapeTests {
    static let expected: [(Backbone, top: Int, notop: Int, notopShape: [Int])] = [
        (.vgg16, 138_357_544, 14_714_688, [1, 7, 7, 512]),
        (.resnet50, 25_636_712, 23_587_712, [1, 7, 7, 2048]),
        (.mobilenetV2, 3_538_984, 2_257_984, [1, 7, 7, 1280]),
        (.inceptionV3, 23_851_784, 21_802_784, [1, 8, 8, 2048]),
    ]

    @Test(arguments: expected.indices)
    func weightCountsAndShapesMatchKeras(_ index: Int) throws {
        let (backbone, top, notop, shape) = Self.expected[index]
        let engine = try ComputeEngine(threads: 2)
        let base = try Network(spec: try backbone.spec(includeTop: false), batchSize: 1, training: false, engine: engine, classifier: false,
                               initializeWeights: false)
        #expect(base.storedTensors.reduce(0) { $0 + $1.count } == notop)
        #expect(base.output.dims == [1, shape[3], shape[1], shape[2]])
        #expect(!base.layers.flatMap(\.implementations).contains { $0.hasPrefix("ref") }, "\(base.layers.filter { $0.implementations.contains { $0.hasPrefix("ref") } }.map(\.name))")
        let pooled = try Network(spec: try backbone.spec(includeTop: false, pooling: .avg), batchSize: 1, training: false, engine: engine,
                                 classifier: false, initializeWeights: false)
        #expect(pooled.output.dims == [1, backbone.featureChannels])
        let spec = try backbone.spec(includeTop: true)
        #expect(try spec.validate() == top)
        #expect(try backbone.spec(includeTop: false).validate(classifier: false) == notop)
        #expect(spec.outputCount == 1000)
    }

    @Test func sizesOutsideKerasRangeAreRefused() {
        #expect(throws: ModelError.self) { try Backbone.inceptionV3.spec(height: 74, width: 299, includeTop: false) }
        #expect(throws: ModelError.self) { try Backbone.vgg16.spec(height: 160, width: 160, includeTop: true) }
        #expect(throws: Never.self) { try Backbone.mobilenetV2.spec(height: 96, width: 131, includeTop: false) }
    }
}
