import Foundation

/// Byte sizes as people write them (`500M`, `50G`, `1.5GB`) and as they are shown (`4.6 GB`).
public enum ByteCount {
    /// Parses a size the way GNU coreutils does: a plain number of bytes, or a number with
    /// `K`, `M`, `G`, `T` (also `KiB`...: powers of 1024) or `KB`, `MB`, `GB`, `TB` (powers of
    /// 1000). Case-insensitive; `nil` when it is not a size.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).uppercased()
        guard let number = Double(digits), number >= 0 else { return nil }
        let powers: [Character: Double] = ["K": 1, "M": 2, "G": 3, "T": 4, "P": 5]
        var multiplier = 1.0
        switch unit {
        case "", "B": break
        default:
            guard let power = powers[unit.first!] else { return nil }
            switch unit.dropFirst() {
            case "", "IB": multiplier = pow(1024, power)
            case "B": multiplier = pow(1000, power)
            default: return nil
            }
        }
        let bytes = (number * multiplier).rounded()
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }

    /// `92 MB`, `4.6 GB`, `512 B` (powers of 1000, as speeds in MB/s are).
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1000 && index < units.count - 1 { value /= 1000; index += 1 }
        if index == 0 { return "\(bytes) B" }
        return String(format: value < 10 ? "%.1f %@" : "%.0f %@", value, units[index])
    }
}
