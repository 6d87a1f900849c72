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
        precondition(chroma.count == 2, "brightening needs colour planes")
        let k = Float(brightness), ceiling = 255 / Float(brightness)
        let (lumaTone, chromaTone) = (ToneCurve.brightness(brightness).table, ToneCurve.chroma(brightness).table)
        var y = luma.samples, cb = chroma[0].samples, cr = chroma[1].samples
        let (w, h, cw, ch) = (width, height, chroma[0].width, chroma[0].height)
        y.withUnsafeMutableBufferPointer { yp in
        cb.withUnsafeMutableBufferPointer { cbp in
        cr.withUnsafeMutableBufferPointer { crp in
        lumaTone.withUnsafeBufferPointer { lt in
        chromaTone.withUnsafeBufferPointer { ct in
            let (y, cb, cr, lt, ct) = (yp.baseAddress!, cbp.baseAddress!, crp.baseAddress!, lt.baseAddress!, ct.baseAddress!)
            for cy in 0..<ch {
                let y0 = cy * f, rows = min(f, h - y0)
                for cx in 0..<cw {
                    let x0 = cx * f, columns = min(f, w - x0), c = cy * cw + cx
                    let top = y + y0 * w + x0, bottom = top + (rows > 1 ? w : 0), right = columns > 1 ? 1 : 0
                    let brightest = max(max(top[0], top[right]), max(bottom[0], bottom[right]))
                    let (b, r) = (Float(cb[c]) - 128, Float(cr[c]) - 128)
                    let offset = max(1.402 * r, 1.772 * b, -0.344136 * b - 0.714136 * r)
                    if Float(brightest) + offset <= ceiling {
                        // No channel clips: the blend with black is a scale of Y and of the chroma.
                        for row in 0..<rows {
                            let line = top + row * w
                            for x in 0..<columns { line[x] = lt[Int(line[x])] }
                        }
                        cb[c] = ct[Int(cb[c])]
                        cr[c] = ct[Int(cr[c])]
                    } else {
                        (cb[c], cr[c]) = Self.brightenInRGB(top, stride: w, rows: rows, columns: columns, cb: b, cr: r, factor: k)
                    }
                }
            }
        } } } } }
        return YCbCrImage(luma: Plane(width: w, height: h, samples: y),
                          chroma: [Plane(width: cw, height: ch, samples: cb), Plane(width: cw, height: ch, samples: cr)])
    }

    /// One block's pixels as the decoder gives them in RGB (rounded, clipped), brightened as PIL
    /// does, and back: each pixel's Y in place, the block's mean Cb, Cr returned.
    private static func brightenInRGB(_ block: UnsafeMutablePointer<UInt8>, stride: Int, rows: Int, columns: Int,
                                      cb b: Float, cr r: Float, factor k: Float) -> (UInt8, UInt8) {
        // Rounded as floor(x + 0.5), the same as `rounded()` on values clipped to 0-255 but
        // without a call into libm.
        func channel(_ v: Float) -> Float { min((min(max(v, 0), 255) + 0.5).rounded(.down) * k, 255).rounded(.down) }
        var (sumB, sumR) = (Float(0), Float(0))
        for row in 0..<rows {
            for x in 0..<columns {
                let l = Float(block[row * stride + x])
                let (rr, gg, bb) = (channel(l + 1.402 * r), channel(l - 0.344136 * b - 0.714136 * r), channel(l + 1.772 * b))
                block[row * stride + x] = byte(0.299 * rr + 0.587 * gg + 0.114 * bb)
                sumB += -0.168736 * rr - 0.331264 * gg + 0.5 * bb
                sumR += 0.5 * rr - 0.418688 * gg - 0.081312 * bb
            }
        }
        let count = Float(rows * columns)
        return (byte(128 + sumB / count), byte(128 + sumR / count))
    }

    private static func byte(_ v: Float) -> UInt8 { UInt8((min(max(v, 0), 255) + 0.5).rounded(.down)) }
}
