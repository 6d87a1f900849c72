/// Keras' `ResNet50` (v1: the stride in the first 1x1 convolution of a block, convolutions with
/// bias, batch normalisation with epsilon 1.001e-5).
enum ResNet50 {
    static let epsilon = 1.001e-5

    static func build(_ graph: inout GraphBuilder) -> String {
        var x = graph.add(.zeroPadding(.init(top: 3, bottom: 3, left: 3, right: 3)), "conv1_pad", ModelNode.inputName)
        x = graph.add(.conv(64, Size2D(7), stride: 2, padding: .valid), "conv1_conv", x)
        x = graph.add(.batchNorm(epsilon: epsilon), "conv1_bn", x)
        x = graph.add(.activation(.relu), "conv1_relu", x)
        x = graph.add(.zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)), "pool1_pad", x)
        x = graph.add(.maxPool(.init(size: Size2D(3), stride: Size2D(2))), "pool1_pool", x)
        for (stage, (filters, blocks, stride)) in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)].enumerated() {
            for block in 1...blocks {
                x = residualBlock(&graph, x, filters: filters, stride: block == 1 ? stride : 1, projection: block == 1,
                                  name: "conv\(stage + 2)_block\(block)")
            }
        }
        return x
    }

    /// Three convolutions (1x1, 3x3, 1x1 with 4x the filters) added to the block's input, or to
    /// a 1x1 projection of it in the first block of a stage.
    private static func residualBlock(_ graph: inout GraphBuilder, _ input: String, filters: Int, stride: Int,
                                      projection: Bool, name: String) -> String {
        var shortcut = input
        if projection {
            shortcut = graph.add(.conv(4 * filters, .one, stride: stride, padding: .valid), "\(name)_0_conv", input)
            shortcut = graph.add(.batchNorm(epsilon: epsilon), "\(name)_0_bn", shortcut)
        }
        var x = graph.add(.conv(filters, .one, stride: stride, padding: .valid), "\(name)_1_conv", input)
        x = graph.add(.batchNorm(epsilon: epsilon), "\(name)_1_bn", x)
        x = graph.add(.activation(.relu), "\(name)_1_relu", x)
        x = graph.add(.conv(filters, Size2D(3), padding: .same), "\(name)_2_conv", x)
        x = graph.add(.batchNorm(epsilon: epsilon), "\(name)_2_bn", x)
        x = graph.add(.activation(.relu), "\(name)_2_relu", x)
        x = graph.add(.conv(4 * filters, .one, padding: .valid), "\(name)_3_conv", x)
        x = graph.add(.batchNorm(epsilon: epsilon), "\(name)_3_bn", x)
        x = graph.add(.add, "\(name)_add", inputs: [shortcut, x])
        return graph.add(.activation(.relu), "\(name)_out", x)
    }
}
