/// The fractions of each class that go to each split: `0.8,0.2` is train/test,
/// `0.8,0.1,0.1` is train/val/test.
public struct SplitRatios: Sendable, Equatable, Codable {
    /// Split names, in order.
    public let splits: [String]
    /// One fraction per split; they sum to 1.
    public let fractions: [Double]

    /// Names for 1, 2 or 3 fractions.
    public static func splitNames(count: Int) -> [String]? {
        switch count {
        case 1: ["train"]
        case 2: ["train", "test"]
        case 3: ["train", "val", "test"]
        default: nil
        }
    }

    /// Checks the fractions: 1 to 3 of them, each in [0, 1], summing to 1 within 1e-6.
    public init(fractions: [Double]) throws(SplitError) {
        guard let names = SplitRatios.splitNames(count: fractions.count) else {
            throw .badRatios("\(fractions.count) fractions")
        }
        for f in fractions where !(f >= 0 && f <= 1) { throw .badRatios("\(f) is not between 0 and 1") }
        let sum = fractions.reduce(0, +)
        guard abs(sum - 1) <= 1e-6 else { throw .badRatios("the fractions sum to \(sum), not 1") }
        guard fractions[0] > 0 else { throw .badRatios("the train fraction is 0") }
        splits = names
        self.fractions = fractions
    }

    /// Parses `0.8,0.1,0.1` (spaces allowed).
    public init(parsing text: String) throws(SplitError) {
        var values: [Double] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingWhitespace()
            guard let value = Double(trimmed) else { throw .badRatios("'\(trimmed)' is not a number") }
            values.append(value)
        }
        try self.init(fractions: values)
    }

    /// How many of `n` files go to each split.
    ///
    /// The rounding rule (largest remainder): each split first gets `floor(n × fraction)`;
    /// the files left over go one each to the splits with the largest fractional parts (ties
    /// to the earlier split), so the counts sum to exactly `n`. Then, when `n` is at least the
    /// number of splits with a nonzero fraction, a nonzero split left empty takes one file
    /// from the split holding the most (ties to the earlier split): a class of 5 files at
    /// 0.8,0.1,0.1 gives 3/1/1 rather than 4/1/0 or 5/0/0.
    public func counts(for n: Int) -> [Int] {
        let exact = fractions.map { Double(n) * $0 }
        // The epsilon keeps 0.7 × 10 = 6.9999... at 7.
        var counts = exact.map { Int(($0 + 1e-9).rounded(.down)) }
        let remainders = zip(exact, counts).map { $0 - Double($1) }
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for i in order.prefix(max(0, n - counts.reduce(0, +))) { counts[i] += 1 }
        let nonzero = fractions.indices.filter { fractions[$0] > 0 }
        if n >= nonzero.count {
            for i in nonzero where counts[i] == 0 {
                let donor = counts.indices.max { counts[$0] != counts[$1] ? counts[$0] < counts[$1] : $0 > $1 }!
                counts[donor] -= 1
                counts[i] += 1
            }
        }
        return counts
    }
}
