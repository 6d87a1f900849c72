import Foundation
import Testing
@testable import NeuralKit

@Suite struct KerasWeightTableTests {
    @Test func parsesTheTableFormat() {
        let table = KerasWeightTable(text: """
            top-layers 1
            conv Conv2D 3,3,3,8;8
            bn BatchNormalization 8;8;8
            dw DepthwiseConv2D 3,3,8,1
            predictions Dense 8,10;10
            """)
        #expect(table.entries == [
            .init(name: "conv", kerasClass: "Conv2D", shapes: [[3, 3, 3, 8], [8]]),
            .init(name: "bn", kerasClass: "BatchNormalization", shapes: [[8], [8], [8]]),
            .init(name: "dw", kerasClass: "DepthwiseConv2D", shapes: [[3, 3, 8, 1]]),
            .init(name: "predictions", kerasClass: "Dense", shapes: [[8, 10], [10]]),
        ])
        #expect(table.notopCount == 3)
        #expect(table.notopEntries.map(\.name) == ["conv", "bn", "dw"])
    }

    @Test(arguments: ["top-layers 0\nconv Conv2D 3,3,,8", "top-layers 0\nconv Conv2D", "top-layers 2\nconv Conv2D 1",
                      "conv Conv2D 1", "top-layers 0\nconv Conv2D 1\nconv Conv2D 1", "top-layers 0\nconv Conv2D 0"])
    func stopsOnAMalformedTable(text: String) async {
        await #expect(processExitsWith: .failure) { [text] in
            _ = KerasWeightTable(text: text)
        }
    }

    @Test func tablesHaveTheBackbonesSizes() {
        let sizes = [("vgg16", KerasWeightTable.vgg16, 16, 13), ("resnet50", .resNet50, 107, 106),
                     ("mobilenet_v2", .mobileNetV2, 105, 104), ("inception_v3", .inceptionV3, 189, 188)]
        for (name, table, count, notop) in sizes {
            #expect(table.entries.count == count, "\(name)")
            #expect(table.notopCount == notop, "\(name)")
        }
        #expect(KerasWeightTable.vgg16.entries[0] == .init(name: "block1_conv1", kerasClass: "Conv2D", shapes: [[3, 3, 3, 64], [64]]))
        #expect(KerasWeightTable.vgg16.entries[13] == .init(name: "fc1", kerasClass: "Dense", shapes: [[25088, 4096], [4096]]))
        // Keras' topological order interleaves a block's branches: the shortcut conv comes after the
        // second conv of the main path and before the third.
        #expect(KerasWeightTable.resNet50.entries[2...9].map(\.name) == [
            "conv2_block1_1_conv", "conv2_block1_1_bn", "conv2_block1_2_conv", "conv2_block1_2_bn",
            "conv2_block1_0_conv", "conv2_block1_3_conv", "conv2_block1_0_bn", "conv2_block1_3_bn"])
        // Depthwise kernels are (kh, kw, C, multiplier); InceptionV3's batch norms have no scale.
        #expect(KerasWeightTable.mobileNetV2.entries[2] == .init(name: "expanded_conv_depthwise", kerasClass: "DepthwiseConv2D", shapes: [[3, 3, 32, 1]]))
        #expect(KerasWeightTable.inceptionV3.entries[1] == .init(name: "batch_normalization", kerasClass: "BatchNormalization", shapes: [[32], [32], [32]]))
    }

    /// The tables and the graph fixtures come out of one generator run but through different code
    /// (the fixture lists every layer): they must agree on every weighted layer.
    @Test(arguments: ["vgg16", "resnet50", "mobilenet_v2", "inception_v3"])
    func tableAgreesWithTheGraphFixture(name: String) throws {
        let tables: [String: KerasWeightTable] = ["vgg16": .vgg16, "resnet50": .resNet50,
                                                  "mobilenet_v2": .mobileNetV2, "inception_v3": .inceptionV3]
        let table = try #require(tables[name])
        let fixture = try KerasGraphFixture(name)
        let weighted = fixture.layers.filter { $0.weights != nil }
        #expect(weighted.map(\.name) == table.entries.map(\.name))
        #expect(weighted.map(\.kerasClass) == table.entries.map(\.kerasClass))
        #expect(weighted.map { $0.weights ?? [] } == table.entries.map(\.shapes))
        let topOnly = Set(fixture.topOnly)
        #expect(weighted.filter { topOnly.contains($0.name) }.count == table.entries.count - table.notopCount)
        #expect(table.notopEntries.allSatisfy { !topOnly.contains($0.name) })
    }
}
