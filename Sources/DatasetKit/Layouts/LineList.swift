/// Reads the one-entry-per-line list files datasets ship (`train.txt`, `classes.txt`,
/// `train_images.txt`): UTF-8 with or without a byte-order mark, LF or CRLF line ends,
/// surrounding whitespace and blank lines ignored.
public enum LineList {
    /// The non-blank lines of `bytes`, trimmed.
    public static func parse(_ bytes: [UInt8]) -> [String] {
        var text = Substring(String(decoding: bytes, as: UTF8.self))
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        // "\r\n" is one Character in Swift, so splitting on both kinds of line end covers CRLF.
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// Reads and parses the file at `path`.
    public static func read(_ path: String) throws(LayoutError) -> [String] {
        do {
            return parse(try FileIO.read(path))
        } catch {
            throw LayoutError(path: path, reason: error.reason)
        }
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
