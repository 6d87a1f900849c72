import Testing
@testable import DatasetKit

@Suite struct CheckedSizeTests {
    @Test func productsThatFitAreExact() {
        #expect(CheckedSize.product([]) == 1)
        #expect(CheckedSize.product(2, 3, 7) == 42)
        #expect(CheckedSize.product(0, Int.max, Int.max) == 0)
    }

    @Test func overflowAndNegativeFactorsAreNil() {
        #expect(CheckedSize.product(1 << 62, 4) == nil)  // safetensors' [2**62 + 32] f32 shape
        #expect(CheckedSize.product(Int.max, 2) == nil)
        #expect(CheckedSize.product(3, -1) == nil)
        #expect(CheckedSize.product(60000, 60000, 3) == 10_800_000_000)
    }

    @Test func sumsAndRanges() {
        #expect(CheckedSize.sum(Int.max, 1) == nil)
        #expect(CheckedSize.sum(-1, 1) == nil)
        #expect(CheckedSize.range(offset: 8, count: 8, within: 16))
        #expect(!CheckedSize.range(offset: 9, count: 8, within: 16))
        #expect(!CheckedSize.range(offset: Int.max, count: 2, within: Int.max))
    }
}
