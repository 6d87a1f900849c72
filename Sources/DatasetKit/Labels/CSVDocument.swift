import CSV
import Foundation

/// CSV text in and out, through CSV.swift: quoted fields (with commas, quotes or newlines
/// inside), LF or CRLF line ends, and a UTF-8 byte-order mark are all handled by the package.
enum CSVDocument {
    /// The records of `bytes`, each a list of fields with surrounding blanks trimmed. Blank lines
    /// come back as `[""]` so that a record's index + 1 stays its line number in the usual case
    /// (no newline inside a quoted field).
    static func records(_ bytes: [UInt8], path: String) throws(LabelsError) -> [[String]] {
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: InputStream(data: Data(bytes)), trimFields: true)
        } catch {
            throw .malformed(path: path, line: 0, reason: "cannot read as CSV (\(error))")
        }
        var records: [[String]] = []
        while let record = reader.next() { records.append(record) }
        if reader.error != nil {
            throw .malformed(path: path, line: 0, reason: "not valid UTF-8 text (after \(records.count) rows)")
        }
        // CSV.swift ends an unclosed quoted field at the end of the file, silently: every row
        // after a stray quote would become part of one label.
        if let line = unclosedQuoteLine(String(decoding: bytes, as: UTF8.self)) {
            throw .malformed(path: path, line: line, reason: "a quoted field opens on this line and is never closed, so it would "
                             + "swallow every line after it (close the quote, or double a literal quote inside quotes: \"\")")
        }
        return records
    }

    /// The line on which a quoted field opens and never closes, or nil. Follows CSV.swift's
    /// grammar: a field is quoted when its first non-blank character is `"`; inside, a `"`
    /// followed by blanks then a comma, a line break or the end closes it, and any other `"`
    /// (`""`, or a stray one) is taken with the character after it.
    static func unclosedQuoteLine(_ text: String) -> Int? {
        var s = Array(text.unicodeScalars)
        if s.first == "\u{FEFF}" { s.removeFirst() }
        var i = 0, line = 1
        func isBlank(_ c: Unicode.Scalar) -> Bool { CharacterSet.whitespaces.contains(c) }
        /// Steps over the line break at `i` (CR, LF or CRLF), counting it.
        func lineBreak() {
            if s[i] == "\r", i + 1 < s.count, s[i + 1] == "\n" { i += 1 }
            i += 1
            line += 1
        }
        while i < s.count {
            while i < s.count, isBlank(s[i]) { i += 1 }
            if i < s.count, s[i] == "\"" {
                let opened = line
                i += 1
                var closed = false
                while i < s.count, !closed {
                    switch s[i] {
                    case "\"":
                        i += 1
                        while i < s.count, isBlank(s[i]) { i += 1 }
                        if i == s.count || s[i] == "," || s[i] == "\r" || s[i] == "\n" { closed = true } else { i += 1 }
                    case "\r", "\n": lineBreak()
                    default: i += 1
                    }
                }
                if !closed { return opened }
            }
            // The rest of the field, up to the comma or line break that ends it.
            while i < s.count, s[i] != ",", s[i] != "\r", s[i] != "\n" { i += 1 }
            guard i < s.count else { break }
            if s[i] == "," { i += 1 } else { lineBreak() }
        }
        return nil
    }

    /// The line each record starts on: one line per record before it, plus the line breaks
    /// inside its quoted fields.
    static func startLines(_ records: [[String]]) -> [Int] {
        var lines: [Int] = [], line = 1
        for record in records {
            lines.append(line)
            line += 1 + record.reduce(0) { $0 + lineBreaks(in: $1) }
        }
        return lines
    }

    /// Line breaks in `field` (CRLF counts once).
    static func lineBreaks(in field: String) -> Int {
        var count = 0, afterCR = false
        for c in field.unicodeScalars {
            if c == "\r" { count += 1 } else if c == "\n" && !afterCR { count += 1 }
            afterCR = c == "\r"
        }
        return count
    }

    /// Reads and splits a whole CSV file.
    static func records(atPath path: String) throws(LabelsError) -> [[String]] {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw .file(error) }
        return try records(bytes, path: path)
    }

    /// True for a record that holds nothing (a blank line, or only empty fields).
    static func isBlank(_ record: [String]) -> Bool { record.allSatisfy(\.isEmpty) }

    /// `rows` as CSV text: comma-separated, LF line ends, a newline after the last row; fields
    /// holding a comma, a quote or a line break are quoted (quotes doubled).
    static func text(_ rows: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        // Writing to memory cannot fail, so errors here would be a bug in the package.
        let writer = try! CSVWriter(stream: stream)
        for row in rows { try! writer.write(row: row) }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        stream.close()
        return rows.isEmpty ? "" : String(decoding: data, as: UTF8.self) + "\n"
    }
}
