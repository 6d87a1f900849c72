import Foundation

/// A `classes.txt`: class names one per line, in the order the dataset uses (matrix columns,
/// label indices). Blank lines and surrounding blanks are ignored; CRLF is fine.
public enum ClassList {
    /// Reads a class list; a name given twice is an error (the order would be ambiguous).
    public static func read(path: String) throws(LabelsError) -> [String] {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw .file(error) }
        return try parse(bytes, path: path)
    }

    /// Parses class-list bytes; `path` names them in messages.
    public static func parse(_ bytes: [UInt8], path: String) throws(LabelsError) -> [String] {
        var names: [String] = []
        var lineOf: [String: Int] = [:]
        for (index, name) in lines(bytes).enumerated() where !name.isEmpty {
            if let first = lineOf[name] {
                throw .malformed(path: path, line: index + 1, reason: "class '\(name)' is listed twice (first on line \(first))")
            }
            lineOf[name] = index + 1
            names.append(name)
        }
        return names
    }

    /// The file's text: one name per line, each ending in a newline.
    public static func text(_ names: [String]) -> String { names.map { $0 + "\n" }.joined() }

    /// Every line of `bytes`, trimmed (so a blank line is ""); a final newline adds no line.
    static func lines(_ bytes: [UInt8]) -> [String] {
        var parts = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
