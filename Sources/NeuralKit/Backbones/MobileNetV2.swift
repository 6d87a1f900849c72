/// Keras' `MobileNetV2` with width multiplier 1.0: a stride-2 stem, 17 inverted residual
/// blocks (1x1 expansion, 3x3 depthwise, 1x1 projection; batch normalisation with epsilon 1e-3
/// and momentum 0.999 after each, ReLU6 after the first two), and a 1x1 convolution to 1280
/// channels. Before each stride-2 depthwise convolution Keras pads asymmetrically
/// (`correct_pad`: nothing before and one pixel after an even side, one on each side of an odd
/// one), which is TensorFlow's `same`.
enum MobileNetV2 {
    static func build(_ graph: inout GraphBuilder, height: Int, width: Int) -> String {
        let bn = LayerSpec.batchNorm(epsilon: 1e-3, momentum: 0.999)
        var x = graph.add(.conv(32, Size2D(3), stride: 2, padding: .same, bias: false), "Conv1", ModelNode.inputName)
        x = graph.add(bn, "bn_Conv1", x)
        x = graph.add(.activation(.relu6), "Conv1_relu", x)
        var (channels, h, w) = (32, (height + 1) / 2, (width + 1) / 2)
        let blocks: [(filters: Int, stride: Int, expansion: Int)] = [
            (16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6), (64, 1, 6), (64, 1, 6),
            (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6), (160, 1, 6), (160, 1, 6), (320, 1, 6)]
        for (id, block) in blocks.enumerated() {
            let input = x
            let prefix = id == 0 ? "expanded_conv_" : "block_\(id)_"
            if id > 0 {
                x = graph.add(.conv(block.expansion * channels, .one, padding: .same, bias: false), prefix + "expand", x)
                x = graph.add(bn, prefix + "expand_BN", x)
                x = graph.add(.activation(.relu6), prefix + "expand_relu", x)
            }
            if block.stride == 2 {
                let (top, left) = (1 - h % 2, 1 - w % 2)
                x = graph.add(.zeroPadding(.init(top: 1 - top, bottom: 1, left: 1 - left, right: 1)), prefix + "pad", x)
            }
            x = graph.add(.depthwiseConv2d(.init(kernel: Size2D(3), stride: Size2D(block.stride), padding: block.stride == 1 ? .same : .valid,
                                                 useBias: false)), prefix + "depthwise", x)
            x = graph.add(bn, prefix + "depthwise_BN", x)
            x = graph.add(.activation(.relu6), prefix + "depthwise_relu", x)
            x = graph.add(.conv(block.filters, .one, padding: .same, bias: false), prefix + "project", x)
            x = graph.add(bn, prefix + "project_BN", x)
            if channels == block.filters && block.stride == 1 {
                x = graph.add(.add, prefix + "add", inputs: [input, x])
            }
            if block.stride == 2 { (h, w) = ((h + 1) / 2, (w + 1) / 2) }
            channels = block.filters
        }
        x = graph.add(.conv(1280, .one, padding: .valid, bias: false), "Conv_1", x)
        x = graph.add(bn, "Conv_1_bn", x)
        return graph.add(.activation(.relu6), "out_relu", x)
    }
}
