extension RGBImage {
    /// This image resized as `spec` says: a pure function of the pixels and the spec.
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
                Resampler.resample(src.baseAddress!, width: width, channels: 3, wx: wx, wy: wy, into: canvas.baseAddress!,
                                   canvasWidth: plan.canvas.width, offsetX: plan.offsetX, offsetY: plan.offsetY)
            }
        }
    }
}

/// The separable resampling kernel.
///
/// Only the vertical direction is computed, because it vectorises: an output row is a weighted
/// sum of whole input rows. The horizontal direction is the same pass run on the transposed
/// image. So: vertical pass, transpose, vertical pass, transpose into the canvas. The two
/// transposes cost far less than a horizontal pass that gathers three bytes per tap.
enum Resampler {
    /// Resamples a `width`-pixel-wide image of `channels` interleaved bytes per pixel (1 or 3)
    /// into `canvas` at (`offsetX`, `offsetY`).
    static func resample(_ src: UnsafePointer<UInt8>, width: Int, channels: Int, wx: ResampleWeights, wy: ResampleWeights,
                         into canvas: UnsafeMutablePointer<UInt8>, canvasWidth: Int, offsetX: Int, offsetY: Int) {
        let outW = wx.outputCount, outH = wy.outputCount
        let canvasStride = canvasWidth * channels
        let origin = canvas + offsetY * canvasStride + offsetX * channels
        let rowBytes = width * channels

        // Pass 1: columns of `width` pixels, rows resampled to outH (rows read in place).
        let tall = UnsafeMutablePointer<UInt8>.allocate(capacity: outH * rowBytes)
        defer { tall.deallocate() }
        verticalPass(src, rowBytes: rowBytes, weights: wy, into: tall, outputStride: rowBytes)

        if wx.isIdentity {
            copyRows(tall, rowBytes: rowBytes, rows: outH, into: origin, stride: canvasStride)
            return
        }
        // Pass 2 on the transpose: `width` rows of outH pixels, resampled to outW rows.
        let transposed = UnsafeMutablePointer<UInt8>.allocate(capacity: width * outH * channels)
        defer { transposed.deallocate() }
        transpose(tall, width: width, height: outH, channels: channels, sourceStride: rowBytes,
                  into: transposed, stride: outH * channels)
        let wide = UnsafeMutablePointer<UInt8>.allocate(capacity: outW * outH * channels)
        defer { wide.deallocate() }
        verticalPass(transposed, rowBytes: outH * channels, weights: wx, into: wide, outputStride: outH * channels)
        transpose(wide, width: outH, height: outW, channels: channels, sourceStride: outH * channels,
                  into: origin, stride: canvasStride)
    }

    /// Output row `y` = Σ weights · input rows `starts[y]...`; `rowBytes` bytes per row.
    static func verticalPass(_ src: UnsafePointer<UInt8>, rowBytes: Int, weights w: ResampleWeights,
                             into out: UnsafeMutablePointer<UInt8>, outputStride: Int) {
        let acc = UnsafeMutablePointer<Int32>.allocate(capacity: rowBytes)
        defer { acc.deallocate() }
        let half = ResampleWeights.one >> 1
        w.weights.withUnsafeBufferPointer { weights in
            for y in 0..<w.outputCount {
                let first = Int(w.starts[y]), count = Int(w.counts[y])
                let taps = weights.baseAddress! + y * w.taps
                let dst = out + y * outputStride
                if count == 1 {
                    dst.update(from: src + first * rowBytes, count: rowBytes)
                    continue
                }
                // Two taps per sweep over the row halve the accumulator traffic.
                var k = 0
                let r0 = src + first * rowBytes, c0 = taps[0], r1 = r0 + rowBytes, c1 = taps[1]
                for i in 0..<rowBytes { acc[i] = half &+ c0 &* Int32(r0[i]) &+ c1 &* Int32(r1[i]) }
                k = 2
                while k + 1 < count {
                    let a = src + (first + k) * rowBytes, ca = taps[k], b = a + rowBytes, cb = taps[k + 1]
                    for i in 0..<rowBytes { acc[i] &+= ca &* Int32(a[i]) &+ cb &* Int32(b[i]) }
                    k += 2
                }
                if k < count {
                    let a = src + (first + k) * rowBytes, ca = taps[k]
                    for i in 0..<rowBytes { acc[i] &+= ca &* Int32(a[i]) }
                }
                // Our filters have no negative lobes and weights sum to exactly one, so every
                // sum stays within 0...255: no clamping, and the loop vectorises.
                for i in 0..<rowBytes { dst[i] = UInt8(truncatingIfNeeded: acc[i] &>> ResampleWeights.precisionBits) }
            }
        }
    }

    /// Transposes a `width`x`height` image (pixel (x, y) → (y, x)), in tiles that stay in cache.
    static func transpose(_ src: UnsafePointer<UInt8>, width: Int, height: Int, channels: Int, sourceStride: Int,
                          into dst: UnsafeMutablePointer<UInt8>, stride: Int) {
        let tile = 16
        for y0 in Swift.stride(from: 0, to: height, by: tile) {
            let y1 = min(y0 + tile, height)
            for x0 in Swift.stride(from: 0, to: width, by: tile) {
                let x1 = min(x0 + tile, width)
                for y in y0..<y1 {
                    var s = src + y * sourceStride + x0 * channels
                    var d = dst + x0 * stride + y * channels
                    if channels == 3 {
                        for _ in x0..<x1 {
                            d[0] = s[0]; d[1] = s[1]; d[2] = s[2]
                            s += 3
                            d += stride
                        }
                    } else {
                        for _ in x0..<x1 {
                            d[0] = s[0]
                            s += 1
                            d += stride
                        }
                    }
                }
            }
        }
    }

    static func copyRows(_ src: UnsafePointer<UInt8>, rowBytes: Int, rows: Int,
                         into dst: UnsafeMutablePointer<UInt8>, stride: Int) {
        for y in 0..<rows { (dst + y * stride).update(from: src + y * rowBytes, count: rowBytes) }
    }
}
