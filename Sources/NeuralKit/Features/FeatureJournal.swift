#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DatasetKit
import Foundation

/// The record of the parts a `features` run has finished, so a killed run, rerun with the same
/// command, does not extract them again: `journal.jsonl` in the run's work folder, a header
/// line with the settings, then one line per finished part, appended once the part's files
/// carry their final names.
///
/// The journal is input like any other file: it may be cut short by a kill (a last line
/// without its newline), edited, or left by a run with other settings. Lines that do not
/// decode are ignored, a header that differs discards every entry, and an entry only counts
/// once the files it describes are there with its sizes and SHA-256 (`FeatureExtraction`
/// checks them); anything else is extracted again.
struct FeatureJournal {
    static let fileName = "journal.jsonl"
    /// A journal of many thousand parts is a few MB; anything far larger is not one.
    static let maxBytes = 256 << 20

    struct Header: Codable, Equatable {
        var settings: [String: String]
        var featureShape: [Int]
        var partSize: Int
        var shard: WorkShard?
    }

    struct Entry: Codable, Equatable {
        var split: String
        var splitIndex: Int
        var part: Int
        /// Rows written to the part's files (its other rows failed).
        var rows: Int
        /// The digest of the part's input rows (`FeatureExtraction.inputDigest`).
        var input: String
        var failures: [Problem]
        var files: [FileRecord]
    }

    struct FileRecord: Codable, Equatable {
        var role: String
        var bytes: Int
        var sha256: String
    }

    let path: String

    /// The entries of a journal written with `header`, the last one of each part counting; or no
    /// entries and why, when there is no usable journal.
    func read(expecting header: Header) -> (entries: [String: Entry], discarded: String?) {
        guard FileIO.exists(path) else { return ([:], nil) }
        guard let bytes = try? FileIO.read(path, limit: (Self.maxBytes, "(none)")) else {
            return ([:], "\(path) cannot be read")
        }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        // The last piece is what follows the last newline: empty, or a line a kill cut short.
        let complete = lines.dropLast()
        let decoder = JSONDecoder()
        guard let first = complete.first, let found = try? decoder.decode(Header.self, from: Data(first)) else {
            return ([:], "\(path) has no header line")
        }
        guard found == header else { return ([:], "it was written by a run with other settings") }
        var entries: [String: Entry] = [:]
        for line in complete.dropFirst() {
            guard let entry = try? decoder.decode(Entry.self, from: Data(line)) else { continue }
            entries[Self.key(splitIndex: entry.splitIndex, part: entry.part)] = entry
        }
        return (entries, nil)
    }

    static func key(splitIndex: Int, part: Int) -> String { "\(splitIndex)/\(part)" }

    /// Starts a new journal holding only `header` (atomically: an old one stays whole until then).
    func start(_ header: Header) throws(FileError) {
        try FileIO.writeAtomically(Self.line(header), to: path)
    }

    /// Ends a line a kill cut short, so the next entry starts a line of its own (the cut line
    /// is then one that does not decode).
    func terminateLastLine() throws(FileError) {
        let fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var last: UInt8 = 0x0A
        let size = lseek(fd, 0, SEEK_END)
        guard size > 0, pread(fd, &last, 1, size - 1) == 1, last != 0x0A else { return }
        var newline: UInt8 = 0x0A
        guard write(fd, &newline, 1) == 1 else { throw FileError(path: path, operation: "write", reason: String(cString: strerror(errno))) }
    }

    /// Appends `entry` as one line in one write.
    func append(_ entry: Entry) throws(FileError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let line = Self.line(entry)
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw FileError(path: path, operation: "write", reason: written < 0 ? String(cString: strerror(errno)) : "short write") }
    }

    private static func line<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data()) + [0x0A]
    }
}
