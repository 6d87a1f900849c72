/// What the unpacks of one archive into a folder wrote: for each file, the index of the entry
/// it came from and the size and modification time it was left with.
///
/// A rerun skips a file only when the journal says this archive's entry (or a later entry of
/// the same path, which wins as in tar) put it there and it has not changed since; size and time
/// alone cannot tell two entries of the same path apart, so the first copy used to win.
///
/// Stored hidden in the destination folder as text: a header naming the archive, then one line
/// per file written, appended as the run goes (a killed run leaves at most a partial last line)
/// and rewritten compacted at the end. It is read back as hostile input: bounded in size, every
/// field checked, anything malformed ignored.
public struct UnpackJournal: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        /// The entry's position in the archive, from 0.
        public var index: Int
        public var size: Int64
        /// Seconds since 1970.
        public var modified: Int64

        public init(index: Int, size: Int64, modified: Int64) {
            self.index = index
            self.size = size
            self.modified = modified
        }
    }

    /// The journal's name in the destination folder (hidden: listings skip it).
    public static let fileName = ".dataset-unpack-journal"
    /// A journal larger than this is not read (a few hundred bytes per file would mean millions).
    public static let maxBytes = 256 << 20
    private static let magic = "dataset-unpack-journal 1 "

    /// Which archive wrote the files (see `ArchiveReader.identity`).
    public var archive: String
    /// By path below the destination.
    public var records: [String: Record] = [:]

    public init(archive: String) {
        self.archive = archive
    }

    /// The first line of a journal.
    public var header: String { Self.magic + Self.escape(archive) + "\n" }

    /// The line that records `path`.
    public static func line(_ path: String, _ record: Record) -> String {
        "\(record.index)\t\(record.size)\t\(record.modified)\t\(escape(path))\n"
    }

    /// The whole journal, one line per path, in path order (so the file is deterministic).
    public func serialized() -> String {
        header + records.keys.sorted().map { Self.line($0, records[$0]!) }.joined()
    }

    /// Parses a journal; `nil` when it is not one (wrong header, too large). Malformed lines and
    /// a partial last line are skipped; a later line for a path replaces an earlier one.
    public static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UnpackJournal? {
        guard bytes.count <= maxBytes else { return nil }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // Without a final newline the last line may be cut short: drop it.
        lines.removeLast()
        guard let first = lines.first, let head = String(validating: first, as: UTF8.self),
              head.hasPrefix(magic), let archive = unescape(head.dropFirst(magic.count)) else { return nil }
        var journal = UnpackJournal(archive: archive)
        for line in lines.dropFirst() {
            let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4,
                  let index = number(fields[0]).flatMap(Int.init(exactly:)), index >= 0,
                  let size = number(fields[1]), size >= 0,
                  let modified = number(fields[2]),
                  let text = String(validating: fields[3], as: UTF8.self), let path = unescape(Substring(text)),
                  !path.isEmpty else { continue }
            journal.records[path] = Record(index: index, size: size, modified: modified)
        }
        return journal
    }

    /// A decimal integer of at most 19 digits with an optional minus sign.
    private static func number<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int64? {
        guard bytes.count <= 20, let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return Int64(text)
    }

    /// Tabs, newlines and `%` are the only bytes that could break a line apart: `%09`, `%0A`,
    /// `%0D`, `%25`.
    static func escape(_ text: String) -> String {
        guard text.contains(where: { "\t\n\r%".contains($0) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        var out = ""
        var rest = text[...]
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let code = rest[rest.index(after: percent)...].prefix(2)
            switch code {
            case "25": out += "%"
            case "09": out += "\t"
            case "0A": out += "\n"
            case "0D": out += "\r"
            default: return nil
            }
            rest = rest[rest.index(percent, offsetBy: 3)...]
        }
        return out + rest
    }
}
