/// Reduces an RGB image to a palette of at most 256 colours.
///
/// Exact when the image has few enough colours. Otherwise median cut over a 5-bit-per-channel
/// histogram: the box of colours with the widest spread is split at its pixel-weighted median
/// along that channel until there are `maxColors` boxes; each box's mean colour becomes an
/// entry, and every pixel takes the entry nearest its histogram cell. Deterministic, one pass
/// over the pixels plus work on at most 32768 cells; no dithering.
public enum ColorQuantizer {
    public static func quantize(_ image: RGBImage, maxColors: Int = 256) -> IndexedImage {
        precondition((1...256).contains(maxColors), "a palette holds 1-256 colours")
        if let exact = exactPalette(image, maxColors: maxColors) { return exact }
        return medianCut(image, maxColors: maxColors)
    }

    /// The image's own colours (most frequent first), or nil when there are too many.
    private static func exactPalette(_ image: RGBImage, maxColors: Int) -> IndexedImage? {
        var counts: [UInt32: Int] = [:]
        let p = image.pixels
        for i in Swift.stride(from: 0, to: p.count, by: 3) {
            counts[UInt32(p[i]) << 16 | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]), default: 0] += 1
            if counts.count > maxColors { return nil }
        }
        let colors = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
        var slot: [UInt32: UInt8] = [:]
        for (i, c) in colors.enumerated() { slot[c] = UInt8(i) }
        var indices = [UInt8](repeating: 0, count: image.width * image.height)
        for i in indices.indices {
            indices[i] = slot[UInt32(p[3 * i]) << 16 | UInt32(p[3 * i + 1]) << 8 | UInt32(p[3 * i + 2])]!
        }
        let palette = colors.map { RGBColor(red: UInt8($0 >> 16), green: UInt8($0 >> 8 & 0xFF), blue: UInt8($0 & 0xFF)) }
        return IndexedImage(width: image.width, height: image.height, palette: palette, indices: indices)
    }

    /// One occupied histogram cell: its pixels' mean colour and their number.
    private struct Cell {
        var color: SIMD3<Int>
        var count: Int
    }

    private static func medianCut(_ image: RGBImage, maxColors: Int) -> IndexedImage {
        func cellIndex(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
            Int(p[i] >> 3) << 10 | Int(p[i + 1] >> 3) << 5 | Int(p[i + 2] >> 3)
        }
        var count = [Int](repeating: 0, count: 1 << 15)
        var sums = [SIMD3<Int>](repeating: .zero, count: 1 << 15)
        image.pixels.withUnsafeBufferPointer { p in
            for i in Swift.stride(from: 0, to: p.count, by: 3) {
                let c = cellIndex(p, i)
                count[c] += 1
                sums[c] &+= SIMD3(Int(p[i]), Int(p[i + 1]), Int(p[i + 2]))
            }
        }
        let occupied = count.indices.filter { count[$0] > 0 }
        let cells = occupied.map { Cell(color: (sums[$0] &+ count[$0] / 2) / count[$0], count: count[$0]) }
        let palette = boxes(of: cells, maxColors: maxColors).map { box -> SIMD3<Int> in
            let total = box.reduce(0) { $0 + cells[$1].count }
            let sum = box.reduce(SIMD3<Int>.zero) { $0 &+ cells[$1].color &* cells[$1].count }
            return (sum &+ total / 2) / total
        }
        // Every occupied cell goes to the palette entry nearest its mean colour.
        var map = [UInt8](repeating: 0, count: 1 << 15)
        for (k, c) in occupied.enumerated() {
            var best = 0, bestDistance = Int.max
            for (i, entry) in palette.enumerated() {
                let d = cells[k].color &- entry
                let distance = (d &* d).wrappedSum()
                if distance < bestDistance { best = i; bestDistance = distance }
            }
            map[c] = UInt8(best)
        }
        var indices = [UInt8](repeating: 0, count: image.width * image.height)
        image.pixels.withUnsafeBufferPointer { p in
            for i in indices.indices { indices[i] = map[cellIndex(p, 3 * i)] }
        }
        return IndexedImage(width: image.width, height: image.height,
                            palette: palette.map { RGBColor(red: UInt8($0.x), green: UInt8($0.y), blue: UInt8($0.z)) },
                            indices: indices)
    }

    /// Splits the cells into at most `maxColors` boxes (arrays of cell indices).
    private static func boxes(of cells: [Cell], maxColors: Int) -> [[Int]] {
        func spread(_ box: [Int]) -> (channel: Int, range: Int) {
            var low = SIMD3(repeating: Int.max), high = SIMD3(repeating: Int.min)
            for i in box { low = pointwiseMin(low, cells[i].color); high = pointwiseMax(high, cells[i].color) }
            let range = high &- low
            let channel = range.x >= range.y && range.x >= range.z ? 0 : range.y >= range.z ? 1 : 2
            return (channel, range[channel])
        }
        var boxes = [Array(cells.indices)]
        while boxes.count < maxColors {
            // The widest box that can still be split (ties: the earlier one, for determinism).
            let candidates = boxes.indices.filter { boxes[$0].count > 1 }.map { ($0, spread(boxes[$0])) }
            guard let (widest, (channel, range)) = candidates.max(by: { $0.1.range < $1.1.range || ($0.1.range == $1.1.range && $0.0 > $1.0) }),
                  range > 0 else { break }
            let sorted = boxes[widest].sorted { (cells[$0].color[channel], $0) < (cells[$1].color[channel], $1) }
            let half = sorted.reduce(0) { $0 + cells[$1].count } / 2
            var seen = 0, cut = 1
            for (k, i) in sorted.enumerated().dropLast() {
                seen += cells[i].count
                cut = k + 1
                if seen >= half { break }
            }
            boxes[widest] = Array(sorted[..<cut])
            boxes.append(Array(sorted[cut...]))
        }
        return boxes
    }
}

extension IndexedImage {
    /// The image reduced to at most `maxColors` colours (see `ColorQuantizer`).
    public init(quantizing image: RGBImage, maxColors: Int = 256) {
        self = ColorQuantizer.quantize(image, maxColors: maxColors)
    }
}
