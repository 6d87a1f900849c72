/// Bounds on a recipe's YAML text, checked before a YAML parser sees it: the parser recurses
/// once per level of nesting, so a small file nested thousands deep (`[[[[...` or
/// `- - - - ...`) would overflow the stack instead of being refused.
public enum RecipeTextLimits {
    /// Recipes are a page or two; a megabyte is far more than any needs.
    public static let maximumBytes = 1 << 20
    /// Real recipes nest four or five levels; this leaves room for any hand-written layout.
    public static let maximumNesting = 64

    /// An upper bound on the nesting depth of `text`, cheaply: per line, its indentation
    /// columns (a nested block is indented deeper), plus the compact `- ` / `? ` indicators
    /// at its start (each opens a level on the same line), plus the flow brackets (`[`, `{`)
    /// open at that point outside quoted scalars and comments. It may overcount (brackets
    /// inside a plain scalar, a quoted scalar spanning lines), never undercount: a quote
    /// counts as opening a scalar only where YAML starts one (after `:`, `,`, `[`, `{`, `-`,
    /// `?` or at the start of a line), and it ends at the end of its line at the latest.
    public static func nestingBound(_ text: some Collection<UInt8>) -> Int {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), newline: UInt8 = 0x0A
        let scalarStarts: Set<UInt8> = [newline, UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
                                        UInt8(ascii: "{"), UInt8(ascii: "-"), UInt8(ascii: "?")]
        var deepest = 0, flow = 0
        var column = 0, indicators = 0, atLineStart = true
        var quote: UInt8? = nil, inComment = false
        var previous = newline, lastSignificant = newline
        for byte in text {
            defer {
                previous = byte
                if byte != space && byte != tab { lastSignificant = byte }
            }
            if byte == newline {
                (atLineStart, column, indicators, quote, inComment) = (true, 0, 0, nil, false)
                continue
            }
            if inComment { continue }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            if atLineStart {
                if byte == space || byte == tab {
                    column += 1
                    continue
                }
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") {
                    indicators += 1
                    column += 1
                    deepest = max(deepest, column + indicators + flow)
                    continue
                }
                atLineStart = false
            }
            switch byte {
            case UInt8(ascii: "#") where previous == space || previous == tab || previous == newline:
                inComment = true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                if scalarStarts.contains(lastSignificant) { quote = byte }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flow += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                flow = max(0, flow - 1)
            default:
                break
            }
            deepest = max(deepest, column + indicators + flow)
        }
        return deepest
    }
}
