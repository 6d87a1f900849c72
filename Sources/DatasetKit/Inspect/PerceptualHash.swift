/// A 64-bit difference hash (dHash) of an image's look: the image is reduced to 9x8 gray
/// pixels by area averaging, and each bit says whether a pixel is darker than its right
/// neighbour. Re-encoding, resizing or mild colour changes flip few bits; different pictures
/// differ in about half of them. Two images are near duplicates when the Hamming distance of
/// their hashes is at most a threshold (a few bits).
public struct PerceptualHash: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    /// The size a decoder may reduce to before hashing (the hash only looks at 9x8 pixels).
    public static let sourceSize = PixelSize(width: 9, height: 8)

    public init(_ image: RGBImage) {
        let small = image.resized(ResizeSpec(size: Self.sourceSize, mode: .stretch, filter: .area))
        var bits: UInt64 = 0
        for y in 0..<8 {
            for x in 0..<8 {
                if Self.luma(small[x, y]) < Self.luma(small[x + 1, y]) { bits |= 1 << UInt64(y * 8 + x) }
            }
        }
        self.bits = bits
    }

    /// ITU-R BT.601 luma, times 1000.
    private static func luma(_ c: RGBColor) -> Int { 299 * Int(c.red) + 587 * Int(c.green) + 114 * Int(c.blue) }

    /// Bits that differ.
    public func distance(to other: PerceptualHash) -> Int { (bits ^ other.bits).nonzeroBitCount }

    public var description: String {
        let hex = String(bits, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Pairs of indices (i < j) whose hashes are within `threshold` bits, found without
    /// comparing every pair: split into `threshold + 1` bit blocks, two hashes that close agree
    /// exactly on at least one block (pigeonhole), so only hashes sharing a block are compared.
    public static func nearPairs(_ hashes: [PerceptualHash], threshold: Int) -> [(Int, Int, distance: Int)] {
        let blocks = max(1, min(64, threshold + 1))
        var pairs = Set<[Int]>()
        var found: [(Int, Int, distance: Int)] = []
        for block in 0..<blocks {
            let low = 64 * block / blocks, high = 64 * (block + 1) / blocks
            let mask: UInt64 = high - low == 64 ? .max : ((1 << UInt64(high - low)) - 1) << UInt64(low)
            var buckets: [UInt64: [Int]] = [:]
            for (i, hash) in hashes.enumerated() { buckets[hash.bits & mask, default: []].append(i) }
            for bucket in buckets.values where bucket.count > 1 {
                for a in 0..<bucket.count {
                    for b in (a + 1)..<bucket.count {
                        let (i, j) = (bucket[a], bucket[b])
                        let d = hashes[i].distance(to: hashes[j])
                        if d <= threshold, pairs.insert([i, j]).inserted { found.append((i, j, d)) }
                    }
                }
            }
        }
        return found.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
