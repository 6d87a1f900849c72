/// Keras' `InceptionV3`: every convolution is `conv2d_bn` (a convolution without bias, batch
/// normalisation without gamma, ReLU), the Keras 3 automatic names in the order Keras creates
/// them, and eleven `mixed` blocks of parallel branches joined along the channels; the 3x3
/// stride-1 average poolings pad `same` and divide by the pixels inside the image.
enum InceptionV3 {
    static func build(_ graph: inout GraphBuilder) -> String {
        /// Keras' `conv2d_bn`.
        func unit(_ input: String, _ filters: Int, _ rows: Int, _ columns: Int, stride: Int = 1, padding: Padding = .same) -> String {
            var x = graph.add(.conv(filters, Size2D(height: rows, width: columns), stride: stride, padding: padding, bias: false),
                              graph.automaticName("conv2d"), input)
            x = graph.add(.batchNorm(epsilon: 1e-3, scale: false), graph.automaticName("batch_normalization"), x)
            return graph.add(.activation(.relu), graph.automaticName("activation"), x)
        }
        func maxPool(_ input: String) -> String {
            graph.add(.maxPool(.init(size: Size2D(3), stride: Size2D(2))), graph.automaticName("max_pooling2d"), input)
        }
        func averagePool(_ input: String) -> String {
            graph.add(.averagePool(.init(size: Size2D(3), stride: .one, padding: .same)), graph.automaticName("average_pooling2d"), input)
        }
        func concat(_ inputs: [String], _ name: String? = nil) -> String {
            graph.add(.concat, name ?? graph.automaticName("concatenate"), inputs: inputs)
        }

        var x = unit(ModelNode.inputName, 32, 3, 3, stride: 2, padding: .valid)
        x = unit(x, 32, 3, 3, padding: .valid)
        x = unit(x, 64, 3, 3)
        x = maxPool(x)
        x = unit(x, 80, 1, 1, padding: .valid)
        x = unit(x, 192, 3, 3, padding: .valid)
        x = maxPool(x)

        // mixed0-2: 35x35.
        for (index, poolFilters) in [32, 64, 64].enumerated() {
            let b1 = unit(x, 64, 1, 1)
            let b5 = unit(unit(x, 48, 1, 1), 64, 5, 5)
            let b3 = unit(unit(unit(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)
            let bp = unit(averagePool(x), poolFilters, 1, 1)
            x = concat([b1, b5, b3, bp], "mixed\(index)")
        }
        // mixed3: to 17x17.
        do {
            let b3 = unit(x, 384, 3, 3, stride: 2, padding: .valid)
            let bd = unit(unit(unit(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, stride: 2, padding: .valid)
            let bp = maxPool(x)
            x = concat([b3, bd, bp], "mixed3")
        }
        // mixed4-7: 17x17 with factorised 7x7 convolutions.
        for (index, width) in [128, 160, 160, 192].enumerated() {
            let b1 = unit(x, 192, 1, 1)
            let b7 = unit(unit(unit(x, width, 1, 1), width, 1, 7), 192, 7, 1)
            var bd = unit(x, width, 1, 1)
            bd = unit(bd, width, 7, 1)
            bd = unit(bd, width, 1, 7)
            bd = unit(bd, width, 7, 1)
            bd = unit(bd, 192, 1, 7)
            let bp = unit(averagePool(x), 192, 1, 1)
            x = concat([b1, b7, bd, bp], "mixed\(4 + index)")
        }
        // mixed8: to 8x8.
        do {
            let b3 = unit(unit(x, 192, 1, 1), 320, 3, 3, stride: 2, padding: .valid)
            var b7 = unit(x, 192, 1, 1)
            b7 = unit(b7, 192, 1, 7)
            b7 = unit(b7, 192, 7, 1)
            b7 = unit(b7, 192, 3, 3, stride: 2, padding: .valid)
            let bp = maxPool(x)
            x = concat([b3, b7, bp], "mixed8")
        }
        // mixed9-10: 8x8, with split 1x3 / 3x1 branches.
        for index in 0..<2 {
            let b1 = unit(x, 320, 1, 1)
            let b3 = unit(x, 384, 1, 1)
            let b3joined = concat([unit(b3, 384, 1, 3), unit(b3, 384, 3, 1)], "mixed9_\(index)")
            let bd = unit(unit(x, 448, 1, 1), 384, 3, 3)
            let bdjoined = concat([unit(bd, 384, 1, 3), unit(bd, 384, 3, 1)])
            let bp = unit(averagePool(x), 192, 1, 1)
            x = concat([b1, b3joined, bdjoined, bp], "mixed\(9 + index)")
        }
        return x
    }
}
