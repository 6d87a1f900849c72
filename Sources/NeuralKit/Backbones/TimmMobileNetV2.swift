/// timm's `mobilenetv2_100`: the same blocks as Keras' MobileNetV2 (a stride-2 stem to 32
/// channels, a depthwise-separable block to 16, 16 inverted residual blocks, a 1x1 convolution
/// to 1280), but every 3x3 convolution pads one pixel on each side (PyTorch's `k // 2`, also
/// at stride 2, where Keras pads only after), and batch normalisation uses epsilon 1e-5.
/// Nodes carry timm's module paths: `blocks.<stage>.<block>.conv_pw`, `.bn1`, and `.bn1.act`
/// for the ReLU6 inside timm's `BatchNormAct2d`; a residual block's sum is the block itself
/// (`blocks.1.1`).
enum TimmMobileNetV2 {
    /// timm's `BatchNormAct2d` defaults: epsilon 1e-5, momentum 0.1 (0.9 in Keras' sense).
    static let batchNorm = LayerSpec.batchNorm(epsilon: 1e-5, momentum: 0.9)

    /// The inverted residual stages after the first block: output channels, blocks, stride of
    /// the first block (`ir_r2_k3_s2_e6_c24`, ...); every block expands its input 6 times.
    static let stages: [(filters: Int, blocks: Int, stride: Int)] = [(24, 2, 2), (32, 3, 2), (64, 4, 2), (96, 3, 1), (160, 3, 2), (320, 1, 1)]

    static func build(_ graph: inout GraphBuilder) -> String {
        var x = convolution(&graph, ModelNode.inputName, filters: 32, kernel: 3, stride: 2, name: "conv_stem")
        x = normalized(&graph, x, "bn1", activation: true)
        // blocks.0.0: depthwise-separable (no expansion), 32 to 16 channels, no residual.
        x = depthwise(&graph, x, stride: 1, name: "blocks.0.0.conv_dw")
        x = normalized(&graph, x, "blocks.0.0.bn1", activation: true)
        x = convolution(&graph, x, filters: 16, kernel: 1, stride: 1, name: "blocks.0.0.conv_pw")
        x = normalized(&graph, x, "blocks.0.0.bn2", activation: false)
        var channels = 16
        for (stage, settings) in stages.enumerated() {
            for block in 0..<settings.blocks {
                let name = "blocks.\(stage + 1).\(block)"
                let stride = block == 0 ? settings.stride : 1
                let input = x
                x = convolution(&graph, x, filters: 6 * channels, kernel: 1, stride: 1, name: name + ".conv_pw")
                x = normalized(&graph, x, name + ".bn1", activation: true)
                x = depthwise(&graph, x, stride: stride, name: name + ".conv_dw")
                x = normalized(&graph, x, name + ".bn2", activation: true)
                x = convolution(&graph, x, filters: settings.filters, kernel: 1, stride: 1, name: name + ".conv_pwl")
                x = normalized(&graph, x, name + ".bn3", activation: false)
                if stride == 1 && channels == settings.filters {
                    x = graph.add(.add, name, inputs: [input, x])
                }
                channels = settings.filters
            }
        }
        x = convolution(&graph, x, filters: 1280, kernel: 1, stride: 1, name: "conv_head")
        return normalized(&graph, x, "bn2", activation: true)
    }

    /// A convolution without bias; a strided one pads one pixel around first (`<name>.pad`).
    private static func convolution(_ graph: inout GraphBuilder, _ input: String, filters: Int, kernel: Int, stride: Int,
                                    name: String) -> String {
        guard stride > 1 else {
            return graph.add(.conv(filters, Size2D(kernel), padding: kernel == 1 ? .valid : .same, bias: false), name, input)
        }
        let pad = graph.add(.zeroPadding(.init(top: kernel / 2, bottom: kernel / 2, left: kernel / 2, right: kernel / 2)), name + ".pad", input)
        return graph.add(.conv(filters, Size2D(kernel), stride: stride, padding: .valid, bias: false), name, pad)
    }

    /// A 3x3 depthwise convolution without bias, padded one pixel around.
    private static func depthwise(_ graph: inout GraphBuilder, _ input: String, stride: Int, name: String) -> String {
        guard stride > 1 else {
            return graph.add(.depthwiseConv2d(.init(kernel: Size2D(3), padding: .same, useBias: false)), name, input)
        }
        let pad = graph.add(.zeroPadding(.init(top: 1, bottom: 1, left: 1, right: 1)), name + ".pad", input)
        return graph.add(.depthwiseConv2d(.init(kernel: Size2D(3), stride: Size2D(stride), padding: .valid, useBias: false)), name, pad)
    }

    /// timm's `BatchNormAct2d` `name`: the normalisation, then ReLU6 (`<name>.act`) when it has one.
    private static func normalized(_ graph: inout GraphBuilder, _ input: String, _ name: String, activation: Bool) -> String {
        let x = graph.add(batchNorm, name, input)
        return activation ? graph.add(.activation(.relu6), name + ".act", x) : x
    }
}
