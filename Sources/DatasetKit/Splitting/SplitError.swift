/// A split that cannot be planned as asked. Each message names the option to change.
public enum SplitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--classes` names a class the dataset does not have.
    case unknownClass(String, nearMatches: [String], available: Int)
    /// `--first N` asks for more classes than there are.
    case notEnoughClasses(requested: Int, available: Int)
    /// `--ratios` that do not parse, are out of range, or do not sum to 1.
    case badRatios(String)
    /// `--val-fraction` outside (0, 1).
    case badValidationFraction(Double)
    /// `--val-fraction` on a split that has no train part.
    case noTrainSplit
    /// `--val-fraction` on a split that already has a validation part.
    case validationExists(String)
    /// A plain class-folder tree has no published split: it needs ratios (or a val fraction).
    case needsRatios

    public var description: String {
        switch self {
        case let .unknownClass(name, near, available):
            let hint = near.isEmpty ? "" : " (did you mean \(near.joined(separator: ", "))?)"
            return "--classes: unknown class '\(name)'\(hint); the dataset has \(available) classes"
        case let .notEnoughClasses(requested, available):
            return "--first \(requested): the dataset has only \(available) classes"
        case let .badRatios(why):
            return "--ratios: \(why); give 2 (train,test) or 3 (train,val,test) fractions summing to 1, e.g. 0.8,0.1,0.1"
        case let .badValidationFraction(value):
            return "--val-fraction must be between 0 and 1, exclusive (got \(value))"
        case .noTrainSplit:
            return "--val-fraction: there is no train split to carve a validation split from"
        case let .validationExists(name):
            return "--val-fraction: the split already has a validation part ('\(name)'); drop --val-fraction"
        case .needsRatios:
            return "a plain class-folder tree has no published split: give --ratios (e.g. 0.8,0.2) or --val-fraction"
        }
    }
}
