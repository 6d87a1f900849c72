extension YCbCrImage {
    /// PIL's brightness with a factor above 1 on planes laid out for a JPEG (chroma at 1/`factor`
    /// of the luma in each direction): R, G and B are scaled and each clipped at 255 on its own.
    ///
    /// Scaling Y and Cb, Cr about neutral is the same blend with black only while no channel
    /// clips; a bright saturated colour would keep its hue where PIL's RGB clip turns it towards
    /// white. So each chroma sample's block is checked: when its brightest channel stays within
    /// range (most of a photo) the planes are scaled as `ToneCurve` does; otherwise its pixels go
    /// to RGB (JPEG's full-range BT.601), are brightened and clipped there as PIL does, and come
    /// back (chroma as the block's mean, as the encoder's own downsampling would give). Blocks
    /// where every channel clips are white at once.
    func brightened(by brightness: Double, chromaFactor f: Int) -> YCbCrImage {
        precondition(chroma.count == 2, "brightening needs colour planes")
        let k = Float(brightness), ceiling = 255 / Float(brightness)
        let (lumaCurve, chromaCurve) = (ToneCurve.brightness(brightness), ToneCurve.chroma(brightness))
        var y = luma.samples, cb = chroma[0].samples, cr = chroma[1].samples
        let (w, h, cw, ch) = (width, height, chroma[0].width, chroma[0].height)
        // Per chroma row: find the blocks that clip, scale whole rows (which vectorises), then
        // redo the clipping blocks in RGB from the rows' original values.
        var raw = [UInt8](repeating: 0, count: f * w), rawB = [UInt8](repeating: 0, count: cw), rawR = rawB
        var clipping = [Int]()
        clipping.reserveCapacity(cw)
        y.withUnsafeMutableBufferPointer { yp in
        cb.withUnsafeMutableBufferPointer { cbp in
        cr.withUnsafeMutableBufferPointer { crp in
        raw.withUnsafeMutableBufferPointer { rp in
        rawB.withUnsafeMutableBufferPointer { rbp in
        rawR.withUnsafeMutableBufferPointer { rrp in
            let (y, cb, cr, raw, rawB, rawR) = (yp.baseAddress!, cbp.baseAddress!, crp.baseAddress!, rp.baseAddress!,
                                                rbp.baseAddress!, rrp.baseAddress!)
            for cy in 0..<ch {
                let y0 = cy * f, rows = min(f, h - y0)
                let lumaRows = y + y0 * w, chromaB = cb + cy * cw, chromaR = cr + cy * cw
                clipping.removeAll(keepingCapacity: true)
                for cx in 0..<cw {
                    let x0 = cx * f, right = min(f, w - x0) - 1, below = rows > 1 ? w : 0
                    let top = lumaRows + x0
                    let brightest = max(max(top[0], top[right]), max(top[below], top[below + right]))
                    let (b, r) = (Float(chromaB[cx]) - 128, Float(chromaR[cx]) - 128)
                    if Float(brightest) + max(1.402 * r, 1.772 * b, -0.344136 * b - 0.714136 * r) > ceiling { clipping.append(cx) }
                }
                if !clipping.isEmpty {
                    raw.update(from: lumaRows, count: rows * w)
                    rawB.update(from: chromaB, count: cw)
                    rawR.update(from: chromaR, count: cw)
                }
                Self.scale(lumaRows, count: rows * w, lumaCurve)
                Self.scale(chromaB, count: cw, chromaCurve)
                Self.scale(chromaR, count: cw, chromaCurve)
                for cx in clipping {
                    let x0 = cx * f
                    (chromaB[cx], chromaR[cx]) = Self.brightenInRGB(raw + x0, into: lumaRows + x0, stride: w, rows: rows,
                                                                   columns: min(f, w - x0), cb: Float(rawB[cx]) - 128,
                                                                   cr: Float(rawR[cx]) - 128, factor: k)
                }
            }
        } } } } } }
        return YCbCrImage(luma: Plane(width: w, height: h, samples: y),
                          chroma: [Plane(width: cw, height: ch, samples: cb), Plane(width: cw, height: ch, samples: cr)])
    }

    /// `count` samples through `curve`, computed side by side.
    private static func scale(_ p: UnsafeMutablePointer<UInt8>, count: Int, _ curve: ToneCurve) {
        for i in 0..<count { p[i] = UInt8(truncatingIfNeeded: curve.apply(Int32(p[i]))) }
    }

    /// One block's pixels in RGB (one chroma sample, so each channel is the pixel's Y plus the
    /// block's offset), brightened and clipped as PIL does, and back: each pixel's Y into `out`,
    /// the block's mean Cb, Cr returned (the mean of the clipped colours: Cb, Cr are linear in them).
    private static func brightenInRGB(_ block: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, stride: Int, rows: Int, columns: Int,
                                      cb b: Float, cr r: Float, factor k: Float) -> (UInt8, UInt8) {
        let (offR, offG, offB) = (1.402 * r, -0.344136 * b - 0.714136 * r, 1.772 * b)
        @inline(__always) func channel(_ v: Float) -> Float { min((max(v, 0) * k).rounded(.down), 255) }
        var (sumR, sumG, sumB) = (Float(0), Float(0), Float(0))
        for row in 0..<rows {
            let line = block + row * stride, outLine = out + row * stride
            for x in 0..<columns {
                let l = Float(line[x])
                let (rr, gg, bb) = (channel(l + offR), channel(l + offG), channel(l + offB))
                outLine[x] = byte(0.299 * rr + 0.587 * gg + 0.114 * bb)
                sumR += rr; sumG += gg; sumB += bb
            }
        }
        let count = Float(rows * columns)
        let (rr, gg, bb) = (sumR / count, sumG / count, sumB / count)
        return (byte(128 - 0.168736 * rr - 0.331264 * gg + 0.5 * bb), byte(128 + 0.5 * rr - 0.418688 * gg - 0.081312 * bb))
    }

    private static func byte(_ v: Float) -> UInt8 { UInt8((min(max(v, 0), 255) + 0.5).rounded(.down)) }
}
