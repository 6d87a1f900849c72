import Foundation

/// A width and height in pixels, written `WxH` on the command line.
public struct PixelSize: Sendable, Hashable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// Parses `224x224`, `224X224`, `224,224` or a single `224` (square).
    public init?(parsing text: String) {
        let parts = text.lowercased().split(whereSeparator: { $0 == "x" || $0 == "," })
        let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == parts.count, (1...2).contains(numbers.count),
              numbers.allSatisfy({ $0 > 0 && $0 <= 65_535 }) else { return nil }
        self.init(width: numbers[0], height: numbers.count == 2 ? numbers[1] : numbers[0])
    }

    public var pixelCount: Int { width * height }
    /// The same size with width and height exchanged (for images stored rotated by 90°).
    public var transposed: PixelSize { PixelSize(width: height, height: width) }
    public var description: String { "\(width)x\(height)" }
}
