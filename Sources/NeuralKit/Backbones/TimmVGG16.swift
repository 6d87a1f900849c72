/// timm's `vgg16` (torchvision's layout): `features` is a sequence of 3x3 convolutions with bias
/// and padding 1, each followed by a ReLU, and 2x2 max poolings; nodes are named by their index
/// in it (`features.0` is the first convolution with its ReLU, `features.4` the first pooling),
/// as timm's keys are.
enum TimmVGG16 {
    /// The index in `features` of each convolution (its ReLU follows at the next index) and of
    /// each pooling.
    static let layout: [(index: Int, filters: Int?)] = {
        var layout: [(Int, Int?)] = []
        var index = 0
        for (convolutions, filters) in [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)] {
            for _ in 0..<convolutions {
                layout.append((index, filters))
                index += 2
            }
            layout.append((index, nil))
            index += 1
        }
        return layout
    }()

    static func build(_ graph: inout GraphBuilder) -> String {
        var x = ModelNode.inputName
        for (index, filters) in layout {
            if let filters {
                x = graph.add(.conv(filters, Size2D(3), padding: .same, activation: .relu), "features.\(index)", x)
            } else {
                x = graph.add(.maxPool(size: 2), "features.\(index)", x)
            }
        }
        return x
    }

    /// timm's head: `pre_logits` (a ConvMlp: a 7x7 convolution to 4096 channels standing in for
    /// the first dense layer, then a 1x1 one, each with ReLU), global average pooling, and the
    /// 1000-way `head.fc`.
    static func buildTop(_ graph: inout GraphBuilder, _ input: String) {
        var x = graph.add(.conv(4096, Size2D(7), padding: .valid, activation: .relu), "pre_logits.fc1", input)
        x = graph.add(.conv(4096, .one, padding: .valid, activation: .relu), "pre_logits.fc2", x)
        x = graph.add(.globalAveragePool, "head.global_pool", x)
        graph.add(.dense(units: 1000, activation: nil), "head.fc", x)
    }
}
