/// How a split is planned: what `dataset split` was asked, apart from the folders and the mode.
public struct SplitSettings: Sendable, Equatable, Codable {
    /// Re-split by these fractions instead of using the dataset's published split.
    public var ratios: SplitRatios?
    /// Carve this fraction of each class's train files out as `val`.
    public var validationFraction: Double?
    /// The seed every shuffle derives from.
    public var seed: UInt64
    public var selection: ClassSelection

    /// The default seed, when none is given.
    public static let defaultSeed: UInt64 = 1

    public init(ratios: SplitRatios? = nil, validationFraction: Double? = nil, seed: UInt64 = SplitSettings.defaultSeed,
                selection: ClassSelection = .all) {
        self.ratios = ratios
        self.validationFraction = validationFraction
        self.seed = seed
        self.selection = selection
    }
}
