/// timm's `resnet50`, which is ResNet v1.5 (torchvision's): the stride of a downsampling block
/// is in its 3x3 convolution, not in the first 1x1 as in Keras' v1; no convolution has a bias;
/// batch normalisation uses epsilon 1e-5; PyTorch pads symmetrically (3 around the 7x7 stem,
/// 1 around the 3x3 max pooling and the strided 3x3 convolutions). Nodes carry timm's module
/// paths (`layer2.0.conv2`, `layer2.0.downsample.0`); a padding timm does inside a module is a
/// node of its own, `<module>.pad`, folded into the convolution.
enum TimmResNet50 {
    /// PyTorch's `BatchNorm2d` defaults: epsilon 1e-5, momentum 0.1 (0.9 in Keras' sense).
    static let batchNorm = LayerSpec.batchNorm(epsilon: 1e-5, momentum: 0.9)

    static func build(_ graph: inout GraphBuilder) -> String {
        var x = graph.add(.zeroPadding(.init(top: 3, bottom: 3, left: 3, right: 3)), "conv1.pad", ModelNode.inputName)
        x = graph.add(.conv(64, Size2D(7), stride: 2, padding: .valid, bias: false), "conv1", x)
        x = graph.add(batchNorm, "bn1", x)
        x = graph.add(.activation(.relu), "act1", x)
        // After a ReLU every value is at least 0, so zeros pad the max pooling as PyTorch's -inf does.
        x = graph.add(.zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)), "maxpool.pad", x)
        x = graph.add(.maxPool(.init(size: Size2D(3), stride: Size2D(2))), "maxpool", x)
        for (stage, (filters, blocks, stride)) in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)].enumerated() {
            for block in 0..<blocks {
                x = bottleneck(&graph, x, filters: filters, stride: block == 0 ? stride : 1, projection: block == 0,
                               name: "layer\(stage + 1).\(block)")
            }
        }
        return x
    }

    /// 1x1, 3x3 (with the stride), 1x1 to 4x the filters, added to the input or, in a stage's
    /// first block, to its strided 1x1 projection (`downsample`).
    private static func bottleneck(_ graph: inout GraphBuilder, _ input: String, filters: Int, stride: Int,
                                   projection: Bool, name: String) -> String {
        var shortcut = input
        if projection {
            shortcut = graph.add(.conv(4 * filters, .one, stride: stride, padding: .valid, bias: false), "\(name).downsample.0", input)
            shortcut = graph.add(batchNorm, "\(name).downsample.1", shortcut)
        }
        var x = graph.add(.conv(filters, .one, padding: .valid, bias: false), "\(name).conv1", input)
        x = graph.add(batchNorm, "\(name).bn1", x)
        x = graph.add(.activation(.relu), "\(name).act1", x)
        if stride == 1 {
            x = graph.add(.conv(filters, Size2D(3), padding: .same, bias: false), "\(name).conv2", x)
        } else {
            x = graph.add(.zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)), "\(name).conv2.pad", x)
            x = graph.add(.conv(filters, Size2D(3), stride: stride, padding: .valid, bias: false), "\(name).conv2", x)
        }
        x = graph.add(batchNorm, "\(name).bn2", x)
        x = graph.add(.activation(.relu), "\(name).act2", x)
        x = graph.add(.conv(4 * filters, .one, padding: .valid, bias: false), "\(name).conv3", x)
        x = graph.add(batchNorm, "\(name).bn3", x)
        x = graph.add(.add, "\(name).add", inputs: [shortcut, x])
        return graph.add(.activation(.relu), "\(name).act3", x)
    }
}
