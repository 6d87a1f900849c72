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
        return records
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
