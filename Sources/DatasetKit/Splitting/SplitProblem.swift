/// Something about a dataset's split that the user should know, found while planning.
public struct SplitProblem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A list names a file that is not there (and is not already in the output).
        case missing
        /// An image in the image folder that no split list names; left out.
        case unlisted
        /// An image listed more than once (in two splits, or twice in one); the first is kept.
        case duplicate
        /// A list entry that is not a `<class>/<file>` path inside the image folder; ignored.
        case invalidEntry
        /// An image that is not inside a class folder; left out.
        case outsideClassFolder
        /// An image in a subfolder of a class folder (`baklava/old/1.jpg`); counted in that class.
        case nestedFolder
        /// Two files would land on one output name; the later one gets a numbered name.
        case renamed
        /// A folder or entry of the image tree that cannot be read; its files are left out.
        case unreadable
    }

    public var kind: Kind
    /// The file or list entry concerned.
    public var path: String
    /// What is wrong, for people.
    public var detail: String

    public init(_ kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// Missing and unreadable files count as failures (the split is not what the lists say);
    /// the rest are warnings.
    public var isFailure: Bool { kind == .missing || kind == .unreadable }

    /// As the run summary's `Problem`.
    public var problem: Problem { Problem(path: path, reason: detail) }

    /// The tree problems of `tree` (a folder that cannot be read) as split problems.
    public static func unreadable(in tree: FileTree) -> [SplitProblem] {
        tree.problems.map { SplitProblem(.unreadable, path: $0.path, detail: $0.reason) }
    }
}
