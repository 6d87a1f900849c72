import DatasetKit

/// Writes batches of examples into a network's input: uint8 pixels normalised through a lookup
/// table (3 x 256 floats) in the normalisation's channel order (BGR for `caffe`), augmentation
/// applied on the way, in the layout the first layer reads (NHWC or NCHW, so no reorder
/// follows). Rows past the examples (a short last batch) are zero.
struct BatchAssembler {
    let examples: ExampleSet
    let augmentation: Augmentation
    let seed: UInt64
    /// `table[c * 256 + v]`: the network's value in its channel `c` for pixel value `v` of the
    /// decoded channel `sourceChannels[c]`.
    private let table: [Float]
    private let sourceChannels: [Int]

    init(examples: ExampleSet, normalization: Normalization, augmentation: Augmentation = Augmentation(), seed: UInt64 = 0) {
        self.examples = examples
        self.augmentation = augmentation
        self.seed = seed
        table = (0..<3).flatMap { c in (0..<256).map { normalization.apply(UInt8($0), channel: c) } }
        sourceChannels = (0..<3).map(normalization.channelOrder.sourceChannel)
    }

    /// Fills `network.input` with the examples at `positions` (indices into `examples.indices`);
    /// returns their labels. `epoch` varies the augmentation.
    func fill(_ network: Network, positions: some Collection<Int>, epoch: Int) -> BatchLabels {
        precondition(positions.count <= network.batchSize, "\(positions.count) examples for a batch of \(network.batchSize)")
        let input = network.input
        let rows = positions.map { examples.indices[$0] }
        let perExample = examples.input.valueCount
        // Every value of a real row is written below; only the padding rows need zeros.
        (input.floats + rows.count * perExample).update(repeating: 0, count: input.capacity - rows.count * perExample)
        table.withUnsafeBufferPointer { table in
            for (b, row) in rows.enumerated() {
                let source = examples.rows.row(row)
                let destination = input.floats + b * perExample
                switch (examples.input, examples.element) {
                case (.features, .uint8):
                    for i in 0..<perExample { destination[i] = table[Int(source[i])] }
                case (_, .float32):
                    // Already normalised and in the network's channel order (float32 shards, feature
                    // vectors); images still augment.
                    writeFloats(source, to: destination, row: row, epoch: epoch, layout: network.inputLayout)
                case (.image(let height, let width, let channels), _):
                    let transform = augmentation.transform(seed: seed, epoch: epoch, row: row, height: height, width: width)
                    writePixels(source.assumingMemoryBound(to: UInt8.self), to: destination, table: table.baseAddress!, transform: transform,
                                height: height, width: width, channels: channels, planar: network.inputLayout == .nchw)
                default:
                    preconditionFailure("unsupported element type")
                }
            }
        }
        return examples.labels.batch(rows)
    }

    private func writePixels(_ source: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutablePointer<Float>,
                             table: UnsafePointer<Float>, transform: ExampleTransform,
                             height: Int, width: Int, channels: Int, planar: Bool) {
        // One loop for both layouts: only the strides differ. Source columns are worked out
        // once per image, so the inner loop is a load, a table look-up and a store.
        let (pixelStride, channelStride) = planar ? (1, height * width) : (channels, 1)
        withUnsafeTemporaryAllocation(of: Int.self, capacity: width) { columns in
            for x in 0..<width { columns[x] = transform.sourceX(x, width: width) * channels }
            for y in 0..<height {
                let sourceRow = source.baseAddress! + transform.sourceY(y, height: height) * width * channels
                let rowOut = destination + y * width * pixelStride
                for c in 0..<channels {
                    let out = rowOut + c * channelStride, values = table + c << 8, from = sourceChannels[c]
                    for x in 0..<width { out[x * pixelStride] = values[Int(sourceRow[columns[x] + from])] }
                }
            }
        }
    }

    private func writeFloats(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutablePointer<Float>,
                             row: Int, epoch: Int, layout: Network.InputLayout) {
        let values = source.assumingMemoryBound(to: Float.self)
        guard case .image(let height, let width, let channels) = examples.input else {
            for i in 0..<values.count { destination[i] = values[i] }
            return
        }
        let transform = augmentation.transform(seed: seed, epoch: epoch, row: row, height: height, width: width)
        let plane = height * width
        for y in 0..<height {
            let sy = transform.sourceY(y, height: height)
            for x in 0..<width {
                let from = (sy * width + transform.sourceX(x, width: width)) * channels
                for c in 0..<channels {
                    destination[layout == .nchw ? c * plane + y * width + x : (y * width + x) * channels + c] = values[from + c]
                }
            }
        }
    }
}
