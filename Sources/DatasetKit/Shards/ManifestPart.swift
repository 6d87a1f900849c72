extension Manifest {
    /// What the manifest of one `pack --shard I/N` worker adds, for `dataset merge-manifests`.
    public struct Part: Sendable, Equatable, Codable {
        public var shard: WorkShard
        /// The exact pixel sums of each split's rows (in `splits` order), so that the merged
        /// mean and std are those one run would have written, not an average of averages.
        public var pixelSums: [PixelSums]

        public init(shard: WorkShard, pixelSums: [PixelSums]) {
            self.shard = shard
            self.pixelSums = pixelSums
        }
    }

    /// `ChannelStatistics` as integers: pixels counted, per-channel sums and sums of squares.
    public struct PixelSums: Sendable, Equatable, Codable {
        public var pixels: Int
        public var sums: [UInt64]
        public var squareSums: [UInt64]

        public init(_ statistics: ChannelStatistics) {
            pixels = statistics.pixelCount
            sums = (0..<3).map { statistics.sums[$0] }
            squareSums = (0..<3).map { statistics.squareSums[$0] }
        }

        public var statistics: ChannelStatistics {
            guard sums.count == 3, squareSums.count == 3 else { return ChannelStatistics() }
            return ChannelStatistics(pixelCount: pixels, sums: SIMD3(sums[0], sums[1], sums[2]),
                                     squareSums: SIMD3(squareSums[0], squareSums[1], squareSums[2]))
        }
    }

    /// The name of a worker's manifest: `manifest.w1of4.json`.
    public static func partFileName(_ shard: WorkShard) -> String { shard.partName(fileName) }
}
