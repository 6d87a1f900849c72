import Testing
@testable import dataset

/// The figures `train` prints: a NaN or infinite loss reads as such, never as a number.
@Suite struct TrainingProgressTextTests {
    @Test func nonFiniteFiguresAreSpelledOut() {
        #expect(TrainingProgressBar.number(.nan) == "NaN")
        #expect(TrainingProgressBar.number(-Double.nan) == "NaN")
        #expect(TrainingProgressBar.number(.infinity) == "inf")
        #expect(TrainingProgressBar.number(-.infinity) == "-inf")
        #expect(TrainingProgressBar.number(1.23456) == "1.2346")
    }
}
