import DatasetKit

/// Writes images one by one into a network's input batch, in the layout its first layer reads
/// (NHWC or NCHW): RGB pixels through the normalisation's table (3 x 256 floats, in its channel
/// order: BGR for `caffe`), or float32 values already normalised (NHWC, in network channel order).
struct InputBatch {
    let network: Network
    let height: Int
    let width: Int
    /// `table[c * 256 + v]`: the value of network channel `c` for value `v` of decoded channel `sources[c]`.
    private let table: [Float]
    private let sources: [Int]

    init(network: Network, height: Int, width: Int, normalization: Normalization) {
        self.network = network
        self.height = height
        self.width = width
        table = (0..<3).flatMap { c in (0..<256).map { normalization.apply(UInt8($0), channel: c) } }
        sources = (0..<3).map(normalization.channelOrder.sourceChannel)
    }

    private var perImage: Int { height * width * 3 }

    /// Writes `values` as image `slot` of the batch.
    func write(_ values: LoadedRow.Values, slot: Int) {
        precondition(slot < network.batchSize)
        let destination = network.input.floats + slot * perImage
        let planar = network.inputLayout == .nchw
        let plane = height * width
        switch values {
        case .pixels(let pixels):
            precondition(pixels.count == perImage)
            table.withUnsafeBufferPointer { table in
                pixels.withUnsafeBufferPointer { pixels in
                    for c in 0..<3 {
                        let values = table.baseAddress! + c << 8, from = sources[c]
                        for p in 0..<plane {
                            destination[planar ? c * plane + p : p * 3 + c] = values[Int(pixels[p * 3 + from])]
                        }
                    }
                }
            }
        case .floats(let floats):
            precondition(floats.count == perImage)
            for p in 0..<plane {
                for c in 0..<3 { destination[planar ? c * plane + p : p * 3 + c] = floats[p * 3 + c] }
            }
        }
    }

    /// Zeroes the images from `slot` on (a short last batch: their outputs are not used).
    func clear(from slot: Int) {
        guard slot < network.batchSize else { return }
        (network.input.floats + slot * perImage).update(repeating: 0, count: (network.batchSize - slot) * perImage)
    }
}
