/// One row of a labels CSV: an id (an image name, with or without extension), the raw text of
/// its label or tags cell, and the line it came from.
public struct LabelRow: Sendable, Equatable {
    public var id: String
    public var value: String
    public var line: Int

    public init(id: String, value: String, line: Int) {
        self.id = id
        self.value = value
        self.line = line
    }
}

/// The rows of a labels CSV, one per id, in file order, with what was wrong with the others.
public struct LabelTable: Sendable, Equatable {
    /// The file read (for messages).
    public var path: String
    /// Usable rows: each id once.
    public var rows: [LabelRow]
    /// Rows left out: too few fields, an empty id, or an id given twice with different values
    /// (then neither row is used, since we cannot tell which is right). Paths are `file:line`.
    public var failures: [Problem]
    /// Rows that repeat an earlier row exactly (used once).
    public var warnings: [Problem]
    /// Ids left out because their rows disagree: their images are named, just not usable.
    public var conflictingIDs: Set<String>

    public init(path: String, rows: [LabelRow], failures: [Problem] = [], warnings: [Problem] = [],
                conflictingIDs: Set<String> = []) {
        self.path = path
        self.rows = rows
        self.failures = failures
        self.warnings = warnings
        self.conflictingIDs = conflictingIDs
    }
}

/// Reads a CSV whose header names an id column and a value column (`image_id,label` for the
/// HackerEarth products, `image_name,tags` for tag lists). Other columns are ignored; column
/// order does not matter; a BOM, CRLF line ends, quoted fields and blank lines are fine.
public struct CSVLabels: Sendable {
    public var idColumn: String
    public var valueColumn: String
    /// What the value column holds, for messages ("label" or "tags").
    public var valueRole: String

    public init(idColumn: String, valueColumn: String, valueRole: String = "label") {
        self.idColumn = idColumn
        self.valueColumn = valueColumn
        self.valueRole = valueRole
    }

    /// Reads the file at `path`.
    public func read(path: String) throws(LabelsError) -> LabelTable {
        try table(CSVDocument.records(atPath: path), path: path)
    }

    /// Parses CSV bytes; `path` names them in messages.
    public func parse(_ bytes: [UInt8], path: String) throws(LabelsError) -> LabelTable {
        try table(CSVDocument.records(bytes, path: path), path: path)
    }

    func table(_ records: [[String]], path: String) throws(LabelsError) -> LabelTable {
        guard let headerIndex = records.firstIndex(where: { !CSVDocument.isBlank($0) }) else {
            throw .noHeader(path: path)
        }
        let header = records[headerIndex]
        guard let idIndex = header.firstIndex(of: idColumn) else {
            throw .missingColumn(path: path, column: idColumn, role: "ids", available: header)
        }
        guard let valueIndex = header.firstIndex(of: valueColumn) else {
            throw .missingColumn(path: path, column: valueColumn, role: valueRole, available: header)
        }
        let needed = max(idIndex, valueIndex) + 1
        var rows: [LabelRow] = []
        var failures: [Problem] = [], warnings: [Problem] = []
        var firstRow: [String: Int] = [:]     // id → index in `rows`
        var conflicting: Set<String> = []
        let lines = CSVDocument.startLines(records)
        for index in (headerIndex + 1)..<records.count {
            let record = records[index], line = lines[index], place = "\(path):\(line)"
            if CSVDocument.isBlank(record) { continue }
            guard record.count >= needed else {
                failures.append(Problem(path: place, reason: "\(record.count) field\(record.count == 1 ? "" : "s"), "
                                        + "expected at least \(needed) (columns '\(idColumn)' and '\(valueColumn)')"))
                continue
            }
            let row = LabelRow(id: record[idIndex], value: record[valueIndex], line: line)
            // A quoted field over several lines is valid CSV, but no image name or class label
            // holds a line break: a stray quote has joined rows. (A tag list may be one per line.)
            let checked = valueRole == "tags" ? [(idColumn, row.id)] : [(idColumn, row.id), (valueColumn, row.value)]
            let spanned = checked.first { CSVDocument.lineBreaks(in: $0.1) > 0 }
            if let (column, text) = spanned {
                let last = line + record.reduce(0) { $0 + CSVDocument.lineBreaks(in: $1) }
                failures.append(Problem(path: place, reason: "'\(column)' runs over lines \(line)-\(last) "
                                        + "('\(text.prefix { $0 != "\n" && $0 != "\r" })...'): a stray quote joins them; left out"))
                continue
            }
            guard !row.id.isEmpty else {
                failures.append(Problem(path: place, reason: "empty '\(idColumn)'"))
                continue
            }
            guard let earlier = firstRow[row.id] else {
                firstRow[row.id] = rows.count
                rows.append(row)
                continue
            }
            let first = rows[earlier]
            if first.value == row.value {
                warnings.append(Problem(path: place, reason: "id '\(row.id)' repeats line \(first.line) (used once)"))
            } else {
                conflicting.insert(row.id)
                failures.append(Problem(path: place, reason: "id '\(row.id)' has \(valueRole) '\(row.value)' here but "
                                        + "'\(first.value)' on line \(first.line): left out"))
            }
        }
        if !conflicting.isEmpty { rows.removeAll { conflicting.contains($0.id) } }
        return LabelTable(path: path, rows: rows, failures: failures, warnings: warnings, conflictingIDs: conflicting)
    }
}
