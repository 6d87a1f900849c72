import Foundation

/// An image and the tags read for it, before any are checked or dropped.
public struct TaggedItem: Sendable, Equatable {
    /// The image, relative to the images root; becomes the row's name.
    public var name: String
    /// Tags as read: may repeat, may be empty.
    public var tags: [String]
    /// Where the tags came from, for messages (`tags.csv:12`).
    public var origin: String

    public init(name: String, tags: [String], origin: String) {
        self.name = name
        self.tags = tags
        self.origin = origin
    }

    /// Splits a tags cell. A blank separator (the default, as in Kaggle's Planet `image_name,tags`)
    /// splits on runs of whitespace; any other separator splits on itself. Tags are trimmed and
    /// empty pieces (`a;;b`, a trailing `;`) dropped; a line break inside a quoted cell also separates.
    public static func splitTags(_ cell: String, separator: String) -> [String] {
        let pieces: [Substring]
        if separator.allSatisfy(\.isWhitespace) {
            pieces = cell.split(whereSeparator: \.isWhitespace)
        } else {
            // Line breaks separate too: a label name cannot hold one (annotations are one per line).
            pieces = cell.split(separator: separator).flatMap { $0.split(whereSeparator: \.isNewline) }
        }
        return pieces.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
