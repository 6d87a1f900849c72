/// A multi-label dataset as a matrix: the classes in order, and for each file the set of its
/// labels. Written as `labels.csv` (`filename,<class1>,...` with 0/1 cells) for trainers that
/// want vectors, and read back the same way.
public struct MultiHotMatrix: Sendable, Equatable {
    /// One file and its labels, listed in class order.
    public struct Row: Sendable, Equatable {
        public var filename: String
        public var labels: [String]

        public init(filename: String, labels: [String]) {
            self.filename = filename
            self.labels = labels
        }
    }

    public private(set) var classes: [String]
    public private(set) var rows: [Row]

    /// A matrix over `classes` (distinct names). Each row's labels are put in class order and
    /// repeats dropped; every label must be one of `classes`.
    public init(classes: [String], rows: [Row]) {
        precondition(Set(classes).count == classes.count, "class names must be distinct")
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        self.classes = classes
        self.rows = rows.map { row in
            let indices = Set(row.labels.map { label -> Int in
                guard let index = position[label] else { preconditionFailure("label '\(label)' is not a class") }
                return index
            })
            return Row(filename: row.filename, labels: indices.sorted().map { classes[$0] })
        }
    }

    /// The 0/1 vector of `row`, in class order.
    public func vector(_ row: Row) -> [UInt8] {
        let present = Set(row.labels)
        return classes.map { present.contains($0) ? 1 : 0 }
    }

    /// How many rows carry each class, in class order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classes.count)
        for row in rows { for (i, bit) in vector(row).enumerated() { counts[i] += Int(bit) } }
        return counts
    }

    /// Keeps the rows whose filename passes `isIncluded` (classes unchanged).
    public func filter(_ isIncluded: (Row) -> Bool) -> MultiHotMatrix {
        var copy = self
        copy.rows = rows.filter(isIncluded)
        return copy
    }

    /// `labels.csv`: a `filename,<class>...` header, then one 0/1 row per file; names holding a
    /// comma, quote or line break are quoted.
    public var csvText: String {
        CSVDocument.text([["filename"] + classes] + rows.map { [$0.filename] + vector($0).map { $0 == 1 ? "1" : "0" } })
    }

    /// Reads `labels.csv` text (as written by `csvText`; any first column name). Cells must be 0
    /// or 1; a filename may appear once.
    public init(csv bytes: [UInt8], path: String) throws(LabelsError) {
        let records = try CSVDocument.records(bytes, path: path)
        guard let headerIndex = records.firstIndex(where: { !CSVDocument.isBlank($0) }) else { throw .noHeader(path: path) }
        let classes = Array(records[headerIndex].dropFirst())
        let lines = CSVDocument.startLines(records)
        var seen = Set<String>()
        for name in classes {
            if name.isEmpty { throw .malformed(path: path, line: lines[headerIndex], reason: "empty class name in the header") }
            if !seen.insert(name).inserted {
                throw .malformed(path: path, line: lines[headerIndex], reason: "class '\(name)' named twice in the header")
            }
        }
        var rows: [Row] = []
        var files = Set<String>()
        for index in (headerIndex + 1)..<records.count where !CSVDocument.isBlank(records[index]) {
            let record = records[index], line = lines[index]
            guard record.count == classes.count + 1 else {
                throw .malformed(path: path, line: line, reason: "\(record.count) fields, expected \(classes.count + 1) (filename and one per class)")
            }
            guard files.insert(record[0]).inserted else {
                throw .malformed(path: path, line: line, reason: "'\(record[0])' is listed twice")
            }
            var labels: [String] = []
            for (cell, name) in zip(record.dropFirst(), classes) {
                switch cell {
                case "1": labels.append(name)
                case "0": break
                default: throw .malformed(path: path, line: line, reason: "'\(cell)' in column '\(name)' (expected 0 or 1)")
                }
            }
            rows.append(Row(filename: record[0], labels: labels))
        }
        self.init(classes: classes, rows: rows)
    }
}
