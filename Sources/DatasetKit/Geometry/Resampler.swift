extension RGBImage {
    /// This image resized as `spec` says: a pure function, one output allocation plus one
    /// intermediate of the horizontally resampled rows.
    public func resized(_ spec: ResizeSpec) -> RGBImage {
        let plan = spec.plan(for: PixelSize(width: width, height: height))
        let wx = ResampleWeights(sourceStart: plan.source.x, sourceLength: plan.source.width, sourceSize: width,
                                 outputCount: plan.content.width, filter: spec.filter)
        let wy = ResampleWeights(sourceStart: plan.source.y, sourceLength: plan.source.height, sourceSize: height,
                                 outputCount: plan.content.height, filter: spec.filter)
        let fill = spec.fill
        let needsFill = plan.canvas != plan.content
        return RGBImage(width: plan.canvas.width, height: plan.canvas.height) { canvas in
            if needsFill {
                for i in Swift.stride(from: 0, to: canvas.count, by: 3) {
                    canvas[i] = fill.red; canvas[i + 1] = fill.green; canvas[i + 2] = fill.blue
                }
            }
            pixels.withUnsafeBufferPointer { src in
                Resampler.resample(src, width: width, wx: wx, wy: wy, into: canvas,
                                   canvasWidth: plan.canvas.width, offsetX: plan.offsetX, offsetY: plan.offsetY)
            }
        }
    }
}

/// The separable kernels: horizontal pass into an 8-bit intermediate (rows the vertical pass
/// needs only), then vertical pass as weighted sums of whole rows, which vectorises.
enum Resampler {
    static func resample(_ src: UnsafeBufferPointer<UInt8>, width: Int, wx: ResampleWeights, wy: ResampleWeights,
                         into canvas: UnsafeMutableBufferPointer<UInt8>, canvasWidth: Int, offsetX: Int, offsetY: Int) {
        let rows = wy.sourceSpan
        let outW = wx.outputCount
        let rowBytes = outW * 3
        let srcStride = width * 3
        var intermediate: UnsafeBufferPointer<UInt8>
        var owned: UnsafeMutableBufferPointer<UInt8>? = nil
        if wx.isIdentity {
            intermediate = UnsafeBufferPointer(rebasing: src[(rows.lowerBound * srcStride)..<(rows.upperBound * srcStride)])
        } else {
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: rows.count * rowBytes)
            owned = buffer
            for (i, y) in rows.enumerated() {
                horizontal(src.baseAddress! + y * srcStride, wx, buffer.baseAddress! + i * rowBytes)
            }
            intermediate = UnsafeBufferPointer(buffer)
        }
        defer { owned?.deallocate() }
        let accumulator = UnsafeMutableBufferPointer<Int32>.allocate(capacity: rowBytes)
        defer { accumulator.deallocate() }
        let canvasStride = canvasWidth * 3
        for y in 0..<wy.outputCount {
            let first = Int(wy.starts[y]) - rows.lowerBound
            let out = canvas.baseAddress! + (offsetY + y) * canvasStride + offsetX * 3
            vertical(intermediate.baseAddress! + first * rowBytes, rowBytes: rowBytes, count: Int(wy.counts[y]),
                     weights: wy.weights, weightOffset: y * wy.taps, accumulator: accumulator.baseAddress!, out: out)
        }
    }

    @inline(__always)
    private static func clampShift(_ value: Int32) -> UInt8 {
        let v = value >> ResampleWeights.precisionBits
        return UInt8(truncatingIfNeeded: v < 0 ? 0 : (v > 255 ? 255 : v))
    }

    private static func horizontal(_ row: UnsafePointer<UInt8>, _ w: ResampleWeights, _ out: UnsafeMutablePointer<UInt8>) {
        let half = ResampleWeights.one >> 1
        w.starts.withUnsafeBufferPointer { starts in
            w.counts.withUnsafeBufferPointer { counts in
                w.weights.withUnsafeBufferPointer { weights in
                    for x in 0..<w.outputCount {
                        var p = row + Int(starts[x]) * 3
                        let taps = weights.baseAddress! + x * w.taps
                        var r = half, g = half, b = half
                        for k in 0..<Int(counts[x]) {
                            let c = taps[k]
                            r &+= c &* Int32(p[0]); g &+= c &* Int32(p[1]); b &+= c &* Int32(p[2])
                            p += 3
                        }
                        out[x * 3] = clampShift(r); out[x * 3 + 1] = clampShift(g); out[x * 3 + 2] = clampShift(b)
                    }
                }
            }
        }
    }

    private static func vertical(_ firstRow: UnsafePointer<UInt8>, rowBytes: Int, count: Int, weights: [Int32],
                                 weightOffset: Int, accumulator acc: UnsafeMutablePointer<Int32>,
                                 out: UnsafeMutablePointer<UInt8>) {
        let half = ResampleWeights.one >> 1
        acc.update(repeating: half, count: rowBytes)
        for k in 0..<count {
            let c = weights[weightOffset + k]
            let row = firstRow + k * rowBytes
            for i in 0..<rowBytes { acc[i] &+= c &* Int32(row[i]) }
        }
        for i in 0..<rowBytes { out[i] = clampShift(acc[i]) }
    }
}
