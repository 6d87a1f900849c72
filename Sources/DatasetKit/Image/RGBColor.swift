import Foundation

/// An 8-bit RGB colour, used for backgrounds (alpha compositing) and fills (letterboxing).
public struct RGBColor: Sendable, Hashable, Codable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red; self.green = green; self.blue = blue
    }

    public init(gray: UInt8) { self.init(red: gray, green: gray, blue: gray) }

    public static let black = RGBColor(gray: 0)
    public static let white = RGBColor(gray: 255)

    /// Parses `white`, `black`, `gray`, `#rrggbb`, `rrggbb` or `r,g,b` (0-255 each).
    public init?(parsing text: String) {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch s {
        case "white": self = .white; return
        case "black": self = .black; return
        case "gray", "grey": self = RGBColor(gray: 128); return
        default: break
        }
        let parts = s.split(separator: ",", omittingEmptySubsequences: false)
        if parts.count == 3 {
            let values = parts.compactMap { UInt8($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 3 else { return nil }
            self.init(red: values[0], green: values[1], blue: values[2])
            return
        }
        let hex = s.hasPrefix("#") ? String(s.dropFirst()) : s
        guard hex.count == 6, let value = UInt32(hex, radix: 16) else { return nil }
        self.init(red: UInt8(value >> 16 & 0xff), green: UInt8(value >> 8 & 0xff), blue: UInt8(value & 0xff))
    }

    public var description: String {
        func h(_ v: UInt8) -> String { let s = String(v, radix: 16); return s.count == 1 ? "0" + s : s }
        return "#" + h(red) + h(green) + h(blue)
    }
}
