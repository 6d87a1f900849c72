import Testing
@testable import NeuralKit

/// The timm-family networks against facts from timm 1.0 (`bench/timm_state_dicts.py` and
/// `create_model(name)`): weight counts, output shapes, and semantics that differ from Keras.
@Suite struct BackboneTimmGraphTests {
    /// Values in timm's `state_dict` without `num_batches_tracked`, with and without the
    /// classifier (VGG16's is `pre_logits` and `head`).
    static let timmCounts: [Backbone: (top: Int, notop: Int)] = [
        .vgg16: (138_357_544, 14_714_688), .resnet50: (25_610_152, 23_561_152),
        .mobilenetV2: (3_538_984, 2_257_984), .inceptionV3: (23_869_000, 21_820_000)]

    @Test(arguments: Backbone.allCases)
    func weightCountsAreTimms(_ backbone: Backbone) throws {
        let top = try backbone.spec(includeTop: true, family: .timm)
        let notop = try backbone.spec(includeTop: false, family: .timm)
        #expect(try top.validate(classifier: true) == Self.timmCounts[backbone]!.top)
        #expect(try notop.validate(classifier: false) == Self.timmCounts[backbone]!.notop)
        // The fixture (timm's own key list) agrees.
        let fixture = try TimmStateDictFixture(backbone)
        #expect(fixture.floatKeys(includeTop: true).reduce(0) { $0 + $1.shape.reduce(1, *) } == Self.timmCounts[backbone]!.top)
        #expect(fixture.architecture == backbone.timmName)
        #expect(Backbone(timmName: backbone.timmName + ".some_tag") == backbone)
    }

    /// Keras stays the default; the two families are different networks under one name.
    @Test(arguments: Backbone.allCases)
    func kerasIsTheDefaultFamily(_ backbone: Backbone) throws {
        #expect(try backbone.spec(includeTop: false) == backbone.spec(includeTop: false, family: .keras))
        #expect(try backbone.spec(includeTop: false) != backbone.spec(includeTop: false, family: .timm))
        let timm = try backbone.spec(includeTop: false, family: .timm)
        #expect(timm.layers.last?.name == backbone.lastBlock(family: .timm))
        #expect(try backbone.spec(includeTop: false, pooling: .avg, family: .timm).layers.last?.name == "global_pool")
    }

    /// Output shapes at the default size and at odd sizes, where symmetric padding and Keras'
    /// padding after the image give the same sizes (ceil(n / 2) per stride-2 step).
    @Test(arguments: [(Backbone.vgg16, 224, [7, 7, 512]), (.resnet50, 224, [7, 7, 2048]), (.mobilenetV2, 224, [7, 7, 1280]),
                      (.inceptionV3, 299, [8, 8, 2048]), (.resnet50, 97, [4, 4, 2048]), (.mobilenetV2, 75, [3, 3, 1280]),
                      (.inceptionV3, 75, [1, 1, 2048])])
    func outputShapes(_ backbone: Backbone, _ side: Int, _ shape: [Int]) throws {
        let spec = try backbone.spec(height: side, width: side, includeTop: false, family: .timm)
        let network = try Network(spec: spec, batchSize: 1, training: false, engine: try ComputeEngine(threads: 1), classifier: false,
                                  initializeWeights: false)
        #expect(network.output.dims == [1, shape[2], shape[0], shape[1]])
    }

    /// What timm does differently from Keras, node by node.
    @Test func timmSemantics() throws {
        func node(_ spec: ModelSpec, _ name: String) -> LayerSpec? { spec.layers.first { $0.name == name }?.layer }
        let resnet = try Backbone.resnet50.spec(includeTop: false, family: .timm)
        // v1.5: the stride in the 3x3 (padded one pixel around), not the first 1x1; no biases; eps 1e-5.
        #expect(node(resnet, "layer2.0.conv1") == .conv(128, .one, padding: .valid, bias: false))
        #expect(node(resnet, "layer2.0.conv2.pad") == .zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)))
        #expect(node(resnet, "layer2.0.conv2") == .conv(128, Size2D(3), stride: 2, padding: .valid, bias: false))
        #expect(node(resnet, "layer2.0.downsample.0") == .conv(512, .one, stride: 2, padding: .valid, bias: false))
        #expect(node(resnet, "layer2.0.bn2") == .batchNorm(epsilon: 1e-5, momentum: 0.9))
        let mobile = try Backbone.mobilenetV2.spec(includeTop: false, family: .timm)
        #expect(node(mobile, "blocks.1.0.conv_dw.pad") == .zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)))
        #expect(node(mobile, "blocks.1.1") == .add)
        #expect(node(mobile, "bn2.act") == .activation(.relu6))
        let inception = try Backbone.inceptionV3.spec(includeTop: false, family: .timm)
        guard case .averagePool(let window) = node(inception, "Mixed_5b.pool") else {
            Issue.record("Mixed_5b.pool is not an average pooling")
            return
        }
        #expect(window.includesPadding && window.padding == .same && window.stride == .one)
        #expect(node(inception, "Mixed_5b.branch_pool.bn") == .batchNorm(epsilon: 1e-3, momentum: 0.9))
        let vgg = try Backbone.vgg16.spec(includeTop: true, family: .timm)
        #expect(node(vgg, "pre_logits.fc1") == .conv(4096, Size2D(7), padding: .valid, activation: .relu))
        #expect(node(vgg, "head.fc") == .dense(units: 1000, activation: nil))
    }
}
