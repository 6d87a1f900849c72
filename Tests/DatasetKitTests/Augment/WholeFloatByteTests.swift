import Testing
@testable import DatasetKit

@Suite struct WholeFloatByteTests {
    @Test func everyWholeValueConvertsExactly() {
        for v in 0...255 { #expect(UInt8(wholeFloat: Float(v)) == UInt8(v)) }
    }

    @Test func toneCurvesGiveTheCheckedConversionsValues() {
        // The unchecked conversion must not change a single value of any curve.
        for factor in [0.5, 0.9, 1.0, 1.01, 1.1, 1.2, 3.0] {
            for curve in [ToneCurve.brightness(factor), ToneCurve.chroma(factor)] {
                for v in 0...255 {
                    let x = curve.centre + (Float(v) - curve.centre) * curve.factor + curve.rounding
                    #expect(curve.apply(Int32(v)) == Int32(min(max(x, 0), 255).rounded(.down)))
                }
            }
        }
    }
}
