import Foundation

/// One line of a parameters log: an output, its source, and the parameters it was made with
/// (null for an original, which is copied as it is).
public struct ParamsRecord: Sendable, Hashable, Codable {
    /// Relative to the source root.
    public var source: String
    /// Relative to the output root.
    public var output: String
    public var params: TransformParameters?

    public init(source: String, output: String, params: TransformParameters?) {
        self.source = source
        self.output = output
        self.params = params
    }

    // Encode `params: null` for originals rather than leaving the key out: the line says what it is.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(output, forKey: .output)
        try container.encode(params, forKey: .params)
    }
}

/// A parameters log that cannot be used, with the line and the reason.
public struct ParamsLogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 for the file as a whole.
    public var line: Int
    public var reason: String

    public var description: String { line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)" }
}

/// `--log params.jsonl` / `--replay params.jsonl`: JSON Lines, one `ParamsRecord` per output,
/// sorted by output path so the same run writes the same file.
public enum ParamsLog {
    /// The log's text for `records` (in output order).
    public static func text(_ records: [ParamsRecord]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let sorted = records.sorted { $0.output.utf8.lexicographicallyPrecedes($1.output.utf8) }
        // Encoding plain numbers, strings and booleans cannot fail.
        return sorted.map { String(decoding: try! encoder.encode($0), as: UTF8.self) + "\n" }.joined()
    }

    /// Reads a log; blank lines are ignored.
    public static func read(path: String) throws(ParamsLogError) -> [ParamsRecord] {
        let bytes: [UInt8]
        do { bytes = try FileIO.read(path) } catch { throw ParamsLogError(path: path, line: 0, reason: error.reason) }
        let decoder = JSONDecoder()
        var records: [ParamsRecord] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.last == 0x0D ? line.dropLast() : line[...]
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                records.append(try decoder.decode(ParamsRecord.self, from: Data(trimmed)))
            } catch {
                throw ParamsLogError(path: path, line: index + 1, reason: "not a parameters record ({\"source\", \"output\", \"params\"}): \(Self.brief(error))")
            }
        }
        return records
    }

    /// The outputs per source that `records` ask for, checked against the input's items: every
    /// source must be one of them and every output distinct. Problems name the log's line.
    public static func replayPlan(_ records: [ParamsRecord], items: [AugmentItem], path: String) -> (plan: [String: [AugmentOutput]], failures: [Problem]) {
        let known = Dictionary(items.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        var plan: [String: [AugmentOutput]] = [:]
        var failures: [Problem] = []
        var seen = Set<String>()
        for (index, record) in records.enumerated() {
            let place = "\(path): record \(index + 1) (\(record.output))"
            guard let item = known[record.source] else {
                failures.append(Problem(path: place, reason: "source '\(record.source)' is not an image of the input"))
                continue
            }
            guard ContainedPath.isContained(record.output), seen.insert(record.output).inserted else {
                failures.append(Problem(path: place, reason: "output '\(record.output)' is repeated or not a relative path"))
                continue
            }
            let kind: AugmentOutput.Kind = record.params.map { .replayed($0) } ?? .original
            plan[record.source, default: []].append(AugmentOutput(
                destination: record.output, kind: kind,
                companion: item.companion.map { AugmentPlanner.companionName(for: record.output, like: $0) }))
        }
        return (plan, failures)
    }

    private static func brief(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context):
            context.codingPath.isEmpty ? "invalid JSON" : "bad value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "\(error)"
        }
    }
}
