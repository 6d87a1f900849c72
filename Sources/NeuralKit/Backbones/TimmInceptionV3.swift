/// timm's `inception_v3` (torchvision's layout): the same branches as Keras' InceptionV3, but
/// each `ConvNormAct` unit's batch normalisation has a scale (gamma) and epsilon 1e-3, and the
/// 3x3 stride-1 average poolings in the branches count their padding (PyTorch's
/// `avg_pool2d(padding=1)` divides by 9 at the border too; Keras divides by the pixels inside).
/// Nodes carry timm's module paths: a unit `Mixed_5b.branch5x5_2` is `.conv`, `.bn` and
/// `.bn.act` (its output); the pooling of a block's pool branch is `<block>.pool`, and a block's
/// concatenation is the block itself (`Mixed_5b`).
enum TimmInceptionV3 {
    static func build(_ graph: inout GraphBuilder) -> String {
        /// timm's `ConvNormAct`: convolution without bias, batch norm (eps 1e-3), ReLU.
        func unit(_ input: String, _ name: String, _ filters: Int, _ rows: Int, _ columns: Int, stride: Int = 1,
                  padding: Padding = .same) -> String {
            var x = graph.add(.conv(filters, Size2D(height: rows, width: columns), stride: stride, padding: padding, bias: false),
                              name + ".conv", input)
            x = graph.add(.batchNorm(epsilon: 1e-3, momentum: 0.9), name + ".bn", x)
            return graph.add(.activation(.relu), name + ".bn.act", x)
        }
        func maxPool(_ input: String, _ name: String) -> String {
            graph.add(.maxPool(.init(size: Size2D(3), stride: Size2D(2))), name, input)
        }
        func averagePool(_ input: String, _ block: String) -> String {
            graph.add(.averagePool(.init(size: Size2D(3), stride: .one, padding: .same, includesPadding: true)), block + ".pool", input)
        }

        var x = unit(ModelNode.inputName, "Conv2d_1a_3x3", 32, 3, 3, stride: 2, padding: .valid)
        x = unit(x, "Conv2d_2a_3x3", 32, 3, 3, padding: .valid)
        x = unit(x, "Conv2d_2b_3x3", 64, 3, 3)
        x = maxPool(x, "Pool1")
        x = unit(x, "Conv2d_3b_1x1", 80, 1, 1, padding: .valid)
        x = unit(x, "Conv2d_4a_3x3", 192, 3, 3, padding: .valid)
        x = maxPool(x, "Pool2")

        // InceptionA: 35x35.
        for (block, poolFilters) in [("Mixed_5b", 32), ("Mixed_5c", 64), ("Mixed_5d", 64)] {
            let b1 = unit(x, block + ".branch1x1", 64, 1, 1)
            let b5 = unit(unit(x, block + ".branch5x5_1", 48, 1, 1), block + ".branch5x5_2", 64, 5, 5)
            var b3 = unit(x, block + ".branch3x3dbl_1", 64, 1, 1)
            b3 = unit(b3, block + ".branch3x3dbl_2", 96, 3, 3)
            b3 = unit(b3, block + ".branch3x3dbl_3", 96, 3, 3)
            let bp = unit(averagePool(x, block), block + ".branch_pool", poolFilters, 1, 1)
            x = graph.add(.concat, block, inputs: [b1, b5, b3, bp])
        }
        // InceptionB: to 17x17.
        do {
            let block = "Mixed_6a"
            let b3 = unit(x, block + ".branch3x3", 384, 3, 3, stride: 2, padding: .valid)
            var bd = unit(x, block + ".branch3x3dbl_1", 64, 1, 1)
            bd = unit(bd, block + ".branch3x3dbl_2", 96, 3, 3)
            bd = unit(bd, block + ".branch3x3dbl_3", 96, 3, 3, stride: 2, padding: .valid)
            x = graph.add(.concat, block, inputs: [b3, bd, maxPool(x, block + ".pool")])
        }
        // InceptionC: 17x17 with factorised 7x7 convolutions.
        for (block, width) in [("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)] {
            let b1 = unit(x, block + ".branch1x1", 192, 1, 1)
            var b7 = unit(x, block + ".branch7x7_1", width, 1, 1)
            b7 = unit(b7, block + ".branch7x7_2", width, 1, 7)
            b7 = unit(b7, block + ".branch7x7_3", 192, 7, 1)
            var bd = unit(x, block + ".branch7x7dbl_1", width, 1, 1)
            bd = unit(bd, block + ".branch7x7dbl_2", width, 7, 1)
            bd = unit(bd, block + ".branch7x7dbl_3", width, 1, 7)
            bd = unit(bd, block + ".branch7x7dbl_4", width, 7, 1)
            bd = unit(bd, block + ".branch7x7dbl_5", 192, 1, 7)
            let bp = unit(averagePool(x, block), block + ".branch_pool", 192, 1, 1)
            x = graph.add(.concat, block, inputs: [b1, b7, bd, bp])
        }
        // InceptionD: to 8x8.
        do {
            let block = "Mixed_7a"
            let b3 = unit(unit(x, block + ".branch3x3_1", 192, 1, 1), block + ".branch3x3_2", 320, 3, 3, stride: 2, padding: .valid)
            var b7 = unit(x, block + ".branch7x7x3_1", 192, 1, 1)
            b7 = unit(b7, block + ".branch7x7x3_2", 192, 1, 7)
            b7 = unit(b7, block + ".branch7x7x3_3", 192, 7, 1)
            b7 = unit(b7, block + ".branch7x7x3_4", 192, 3, 3, stride: 2, padding: .valid)
            x = graph.add(.concat, block, inputs: [b3, b7, maxPool(x, block + ".pool")])
        }
        // InceptionE: 8x8, with split 1x3 / 3x1 branches.
        for block in ["Mixed_7b", "Mixed_7c"] {
            let b1 = unit(x, block + ".branch1x1", 320, 1, 1)
            let b3 = unit(x, block + ".branch3x3_1", 384, 1, 1)
            let b3joined = graph.add(.concat, block + ".branch3x3",
                                     inputs: [unit(b3, block + ".branch3x3_2a", 384, 1, 3), unit(b3, block + ".branch3x3_2b", 384, 3, 1)])
            let bd = unit(unit(x, block + ".branch3x3dbl_1", 448, 1, 1), block + ".branch3x3dbl_2", 384, 3, 3)
            let bdjoined = graph.add(.concat, block + ".branch3x3dbl",
                                     inputs: [unit(bd, block + ".branch3x3dbl_3a", 384, 1, 3), unit(bd, block + ".branch3x3dbl_3b", 384, 3, 1)])
            let bp = unit(averagePool(x, block), block + ".branch_pool", 192, 1, 1)
            x = graph.add(.concat, block, inputs: [b1, b3joined, bdjoined, bp])
        }
        return x
    }
}
