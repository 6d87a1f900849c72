extension PlaneSample {
    /// A run of a plane's row in passes over blocks of samples, so that the arithmetic
    /// vectorises: first each sample's four taps are fetched with two 2-byte reads (the only
    /// per-sample address work), then all blends are computed side by side and toned by `curve`
    /// (computed, not looked up; skipped when it is the identity).
    ///
    /// The result is the generic loop's to the bit. Inside the image the fractions are the low
    /// 32 bits of the positions, which `u0 + k·du` gives exactly in wrapping 32-bit arithmetic;
    /// clamped positions (`nearest` outside) have their fractions fetched with the taps. The
    /// blend is `PlaneSample.blend`'s.
    static func interior(_ src: AffineWarp.Source, _ line: AffineWarp.Line, curve: ToneCurve, table: UnsafePointer<UInt8>?) {
        blocks(src, line, clamp: false, curve: curve)
    }

    static func clamped(_ src: AffineWarp.Source, _ line: AffineWarp.Line, curve: ToneCurve, table: UnsafePointer<UInt8>?) {
        blocks(src, line, clamp: true, curve: curve)
    }

    @inline(__always)
    private static func blocks(_ src: AffineWarp.Source, _ line: AffineWarp.Line, clamp: Bool, curve: ToneCurve) {
        let block = 64, bits = AffineWarp.positionBits, toned = curve != .identity
        let uMax = Int64(src.width - 1) << bits, vMax = Int64(src.height - 1) << bits
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * block) { buffer in
            let taps = buffer.baseAddress!, fractions = taps + block
            var u = line.u, v = line.v, done = 0
            while done < line.count {
                let n = min(block, line.count - done)
                let (u0, v0) = (u, v)
                for k in 0..<n {
                    let cu = clamp ? min(max(u, 0), uMax) : u, cv = clamp ? min(max(v, 0), vMax) : v
                    let p = src.base + Int(truncatingIfNeeded: cv >> bits) * src.stride + Int(truncatingIfNeeded: cu >> bits)
                    let top = UnsafeRawPointer(p).loadUnaligned(as: UInt16.self)
                    let bottom = UnsafeRawPointer(p + src.stride).loadUnaligned(as: UInt16.self)
                    taps[k] = UInt32(top) | UInt32(bottom) &<< 16
                    if clamp {
                        fractions[k] = UInt32(bitPattern: AffineWarp.fraction(cu)) | UInt32(bitPattern: AffineWarp.fraction(cv)) &<< 16
                    }
                    u &+= line.du
                    v &+= line.dv
                }
                let out = line.out + done
                // The identity curve is skipped rather than computed: a loop of its own.
                @inline(__always) func blend(toned: Bool) {
                    if clamp {
                        for k in 0..<n {
                            let f = fractions[k]
                            out[k] = mix(taps[k], fx: Int32(bitPattern: f & 0xffff), fy: Int32(bitPattern: f &>> 16),
                                         toned ? curve : nil)
                        }
                    } else {
                        let shift = UInt32(AffineWarp.fractionShift)
                        let (ul, vl) = (UInt32(truncatingIfNeeded: u0), UInt32(truncatingIfNeeded: v0))
                        let (dul, dvl) = (UInt32(truncatingIfNeeded: line.du), UInt32(truncatingIfNeeded: line.dv))
                        for k in 0..<n {
                            let fx = Int32(bitPattern: (ul &+ UInt32(truncatingIfNeeded: k) &* dul) &>> shift)
                            let fy = Int32(bitPattern: (vl &+ UInt32(truncatingIfNeeded: k) &* dvl) &>> shift)
                            out[k] = mix(taps[k], fx: fx, fy: fy, toned ? curve : nil)
                        }
                    }
                }
                if toned { blend(toned: true) } else { blend(toned: false) }
                done += n
            }
        }
    }

    /// Four taps (top-left in the low byte, then top-right, bottom-left, bottom-right) blended
    /// as `blend` does, then toned.
    @inline(__always)
    private static func mix(_ taps: UInt32, fx: Int32, fy: Int32, _ curve: ToneCurve?) -> UInt8 {
        let one = AffineWarp.weightOne
        let t0 = Int32(bitPattern: taps & 0xff), t1 = Int32(bitPattern: (taps &>> 8) & 0xff)
        let b0 = Int32(bitPattern: (taps &>> 16) & 0xff), b1 = Int32(bitPattern: taps &>> 24)
        let upper = t0 &* one &+ (t1 &- t0) &* fx
        let lower = b0 &* one &+ (b1 &- b0) &* fx
        let value = (upper &* one &+ (lower &- upper) &* fy &+ AffineWarp.roundingHalf) &>> (2 * AffineWarp.weightBits)
        return UInt8(truncatingIfNeeded: curve.map { $0.apply(value) } ?? value)
    }
}
