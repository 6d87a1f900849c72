import Foundation

/// The unpacked Recipes5k archive:
///
///     Recipes5k/images/<class>/<n>_<slug>_hostedLargeUrl.jpg
///     Recipes5k/annotations/{train,val,test}_images.txt   paths relative to images/
///     Recipes5k/annotations/{train,val,test}_labels.txt   one 0-based line index per image into
///         ingredients_Recipes5k.txt, ingredients_simplified_Recipes5k.txt, classes_Recipes5k.txt
///
/// Ingredient lines are comma-joined, may repeat a token and may end in CRLF.
public struct Recipes5kLayout: Sendable {
    /// The published splits.
    public enum Split: String, Sendable, CaseIterable {
        case train, val, test
    }

    /// A line of an annotation file that does not say what it should.
    public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var line: Int
        public var reason: String

        public var description: String { line > 0 ? "\(path):\(line): \(reason)" : "\(path): \(reason)" }
    }

    /// The `Recipes5k` folder (holding `images/` and `annotations/`).
    public let root: String

    /// Finds the tree at `path`, which may be the `Recipes5k` folder or the folder holding it
    /// (where the zip was unpacked).
    public init(locating path: String) throws(FileError) {
        let base = FileTree.normalise(path)
        for candidate in [base, base + "/Recipes5k"] where Self.looksLikeRoot(candidate) {
            root = candidate
            return
        }
        throw FileError(path: path, operation: "read Recipes5k tree at",
                        reason: FileIO.isDirectory(base) ? "no images/ and annotations/ folders in it or in its Recipes5k/ folder"
                                                         : "no such folder")
    }

    /// The folder the annotation paths are relative to.
    public var imagesFolder: String { root + "/images" }
    public var annotationsFolder: String { root + "/annotations" }

    /// The images of `split`, relative to `images/` (`onion_rings/0_crispy_onion_rings_hostedLargeUrl.jpg`), in file order.
    public func images(split: Split) throws -> [String] {
        try lines(of: "\(split.rawValue)_images.txt").filter { !$0.text.isEmpty }.map(\.text)
    }

    /// Each image of `split` with its ingredient list (simplified names, or the raw recipe
    /// lines), tokens trimmed, repeats and order as in the file.
    public func ingredients(split: Split, simplified: Bool) throws -> [(image: String, ingredients: [String])] {
        let images = try self.images(split: split)
        let labelsFile = "\(split.rawValue)_labels.txt"
        let indices = try lines(of: labelsFile).filter { !$0.text.isEmpty }
        guard indices.count == images.count else {
            throw FormatError(path: annotationsFolder + "/" + labelsFile, line: 0,
                              reason: "\(indices.count) lines, but \(split.rawValue)_images.txt lists \(images.count) images")
        }
        let ingredientsFile = simplified ? "ingredients_simplified_Recipes5k.txt" : "ingredients_Recipes5k.txt"
        let recipes = try lines(of: ingredientsFile).map(\.text)
        return try zip(images, indices).map { image, index in
            guard let n = Int(index.text), recipes.indices.contains(n) else {
                throw FormatError(path: annotationsFolder + "/" + labelsFile, line: index.line,
                                  reason: "'\(index.text)' is not a line index into \(ingredientsFile) (0..<\(recipes.count))")
            }
            let tokens = recipes[n].split(separator: ",").map { $0.trimmedBlanks }.filter { !$0.isEmpty }
            return (image, tokens)
        }
    }

    /// The class names of `classes_Recipes5k.txt`, each once, in first-appearance order.
    public func classes() throws -> [String] {
        var seen = Set<String>()
        return try lines(of: "classes_Recipes5k.txt").map(\.text).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The lines of an annotation file, trimmed (so CRLF and stray blanks do not matter), with
    /// their 1-based numbers; a final newline does not make an extra line.
    private func lines(of name: String) throws -> [(line: Int, text: String)] {
        // Split the bytes, not a String: Swift reads "\r\n" as one Character, not a "\n".
        var parts = try FileIO.read(annotationsFolder + "/" + name).split(separator: 0x0A, omittingEmptySubsequences: false)
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.enumerated().map { ($0.offset + 1, String(decoding: $0.element, as: UTF8.self).trimmedBlanks) }
    }

    private static func looksLikeRoot(_ path: String) -> Bool {
        FileIO.isDirectory(path + "/images") && FileIO.isDirectory(path + "/annotations")
    }
}

private extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line ends.
    var trimmedBlanks: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
