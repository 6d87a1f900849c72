/// Keras' `VGG16` convolutional base: five blocks of 3x3 `same` convolutions with ReLU (2, 2,
/// 3, 3, 3 of 64, 128, 256, 512, 512 filters), each ending in a 2x2 max pooling.
enum VGG16 {
    static func build(_ graph: inout GraphBuilder) -> String {
        var x = ModelNode.inputName
        for (block, (convolutions, filters)) in [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)].enumerated() {
            for index in 1...convolutions {
                x = graph.add(.conv(filters, Size2D(3), padding: .same, activation: .relu), "block\(block + 1)_conv\(index)", x)
            }
            x = graph.add(.maxPool(size: 2), "block\(block + 1)_pool", x)
        }
        return x
    }
}
