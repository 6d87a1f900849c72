extension YCbCrImage {
    /// PIL's brightness with a factor above 1 on planes laid out for a JPEG (chroma at 1/`factor`
    /// of the luma in each direction): R, G and B are scaled and each clipped at 255 on its own.
    ///
    /// Scaling Y and Cb, Cr about neutral is the same blend with black only while no channel
    /// clips; a bright saturated colour would keep its hue where PIL's RGB clip turns it towards
    /// white. So each chroma sample's block is checked: when its brightest channel stays within
    /// range (most of a photo) the planes are scaled as `ToneCurve` does; otherwise its pixels go
    /// to RGB (JPEG's full-range BT.601), are brightened and clipped there as PIL does, and come
    /// back (chroma as the block's mean, as the encoder's own downsampling would give).
    func brightened(by brightness: Double, chromaFactor f: Int) -> YCbCrImage {
        var image = self
        image.brighten(by: brightness, chromaFactor: f)
        return image
    }

    /// `brightened`, in place.
    mutating func brighten(by brightness: Double, chromaFactor f: Int) {
        precondition(chroma.count == 2, "brightening needs colour planes")
        let k = Float(brightness), ceiling = 255 / Float(brightness)
        let (lumaCurve, chromaCurve) = (ToneCurve.brightness(brightness), ToneCurve.chroma(brightness))
        let (w, h, cw, ch) = (width, height, chroma[0].width, chroma[0].height)
        // Taken out of the planes so that each is uniquely referenced and changes in place.
        var y = luma.samples, cb = chroma[0].samples, cr = chroma[1].samples
        (luma.samples, chroma[0].samples, chroma[1].samples) = ([], [], [])
        defer { (luma.samples, chroma[0].samples, chroma[1].samples) = (y, cb, cr) }
        // Per chroma row: find the blocks that clip, scale whole rows (which vectorises), then
        // redo the clipping blocks in RGB from the rows' original values.
        var raw = [UInt8](repeating: 0, count: f * w), rawB = [UInt8](repeating: 0, count: cw), rawR = rawB
        var clipping = [Int](), flagBuffer = [UInt8](repeating: 0, count: cw)
        clipping.reserveCapacity(cw)
        y.withUnsafeMutableBufferPointer { yp in
        cb.withUnsafeMutableBufferPointer { cbp in
        cr.withUnsafeMutableBufferPointer { crp in
        raw.withUnsafeMutableBufferPointer { rp in
        rawB.withUnsafeMutableBufferPointer { rbp in
        rawR.withUnsafeMutableBufferPointer { rrp in
        flagBuffer.withUnsafeMutableBufferPointer { fp in
            let (y, cb, cr, raw, rawB, rawR) = (yp.baseAddress!, cbp.baseAddress!, crp.baseAddress!, rp.baseAddress!,
                                                rbp.baseAddress!, rrp.baseAddress!)
            let flags = fp.baseAddress!
            for cy in 0..<ch {
                let y0 = cy * f, rows = min(f, h - y0)
                let lumaRows = y + y0 * w, chromaB = cb + cy * cw, chromaR = cr + cy * cw
                clipping.removeAll(keepingCapacity: true)
                let below = rows > 1 ? lumaRows + w : lumaRows
                // Blocks wholly inside the image in a branch-free loop that vectorises (nearly
                // every block, and nearly none clips); a last partial block on its own.
                let whole = w / f
                let any = f == 2 ? Self.clipFlags(2, lumaRows, below, chromaB, chromaR, count: whole, ceiling: ceiling, into: flags)
                                 : Self.clipFlags(1, lumaRows, below, chromaB, chromaR, count: whole, ceiling: ceiling, into: flags)
                if any { for cx in 0..<whole where flags[cx] != 0 { clipping.append(cx) } }
                for cx in whole..<cw {
                    let x0 = cx * f, right = min(f, w - x0) - 1
                    let brightest = max(max(lumaRows[x0], lumaRows[x0 + right]), max(below[x0], below[x0 + right]))
                    if Self.clips(brightest, chromaB[cx], chromaR[cx], ceiling: ceiling) { clipping.append(cx) }
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
                    let x0 = cx * f, columns = min(f, w - x0)
                    let (b, r) = (Float(rawB[cx]) - 128, Float(rawR[cx]) - 128)
                    (chromaB[cx], chromaR[cx]) = rows == 2 && columns == 2
                        ? Self.brightenQuadInRGB(raw + x0, into: lumaRows + x0, stride: w, cb: b, cr: r, factor: k)
                        : Self.brightenInRGB(raw + x0, into: lumaRows + x0, stride: w, rows: rows, columns: columns,
                                             cb: b, cr: r, factor: k)
                }
            }
        } } } } } } }
    }

    /// Whether a block whose brightest Y is `brightest` clips in some channel of RGB, scaled so
    /// that 255 becomes `ceiling` (255 / factor): Y plus the channel's chroma offset.
    @inline(__always)
    private static func clips(_ brightest: UInt8, _ cb: UInt8, _ cr: UInt8, ceiling: Float) -> Bool {
        let offset = offsets(cb: Float(cb) - 128, cr: Float(cr) - 128)
        return Float(brightest) + max(offset.r, offset.b, offset.g) > ceiling
    }

    /// What R, G and B add to Y for chroma `cb`, `cr` (about neutral): JPEG's full-range BT.601.
    @inline(__always)
    private static func offsets(cb b: Float, cr r: Float) -> (r: Float, g: Float, b: Float) {
        (1.402 * r, -0.344136 * b - 0.714136 * r, 1.772 * b)
    }

    /// Cb and Cr of the colour `r`, `g`, `b`, rounded to bytes.
    @inline(__always)
    private static func chromaBytes(_ r: Float, _ g: Float, _ b: Float) -> (UInt8, UInt8) {
        (byte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b), byte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b))
    }

    /// `clips` for the first `count` blocks of a row of `f` x `f` blocks (`f` 1 or 2) with whole
    /// blocks, as 0/1 in `flags`; whether any clips. `below` is the second luma row (the first
    /// again when there is none).
    @inline(__always)
    private static func clipFlags(_ f: Int, _ top: UnsafePointer<UInt8>, _ below: UnsafePointer<UInt8>,
                                  _ cb: UnsafePointer<UInt8>, _ cr: UnsafePointer<UInt8>, count: Int, ceiling: Float,
                                  into flags: UnsafeMutablePointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for cx in 0..<count {
            // Wrapping arithmetic: `count` blocks of `f` lie within the row, so none can overflow,
            // and overflow checks would stop the loop from vectorising.
            let x0 = cx &* f, right = x0 &+ f &- 1
            let brightest = max(max(top[x0], top[right]), max(below[x0], below[right]))
            let flag: UInt8 = clips(brightest, cb[cx], cr[cx], ceiling: ceiling) ? 1 : 0
            flags[cx] = flag
            any |= flag
        }
        return any != 0
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
        let (offR, offG, offB) = offsets(cb: b, cr: r)
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
        return chromaBytes(rr, gg, bb)
    }

    /// `brightenInRGB` for a 2x2 block, its four pixels side by side (the same arithmetic, lane
    /// by lane, so the same bytes).
    @inline(__always)
    private static func brightenQuadInRGB(_ block: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, stride: Int,
                                          cb b: Float, cr r: Float, factor k: Float) -> (UInt8, UInt8) {
        let l = SIMD4<Float>(Float(block[0]), Float(block[1]), Float(block[stride]), Float(block[stride + 1]))
        // (`pointwiseMin`/`Max` are not inlined; comparisons are.)
        @inline(__always) func channel(_ offset: Float) -> SIMD4<Float> {
            let v = l + offset, scaled = (v.replacing(with: 0, where: v .< 0) * k).rounded(.down)
            return scaled.replacing(with: 255, where: scaled .> 255)
        }
        let offset = offsets(cb: b, cr: r)
        let (rr, gg, bb) = (channel(offset.r), channel(offset.g), channel(offset.b))
        let luma = SIMD4<Float>(repeating: 0.299) * rr + 0.587 * gg + 0.114 * bb
        let bytes = (luma.replacing(with: 0, where: luma .< 0).replacing(with: 255, where: luma .> 255) + 0.5).rounded(.down)
        (out[0], out[1], out[stride], out[stride + 1]) = (UInt8(wholeFloat: bytes[0]), UInt8(wholeFloat: bytes[1]),
                                                          UInt8(wholeFloat: bytes[2]), UInt8(wholeFloat: bytes[3]))
        // Sums in the scalar loop's order (exact either way: small integers).
        let (sumR, sumG, sumB) = (rr[0] + rr[1] + rr[2] + rr[3], gg[0] + gg[1] + gg[2] + gg[3], bb[0] + bb[1] + bb[2] + bb[3])
        return chromaBytes(sumR / 4, sumG / 4, sumB / 4)
    }

    private static func byte(_ v: Float) -> UInt8 { UInt8(wholeFloat: (min(max(v, 0), 255) + 0.5).rounded(.down)) }
}
