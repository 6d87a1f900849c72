/// One input file and the output it becomes, both relative to their roots.
public struct FileMapping: Sendable, Hashable {
    public var source: String
    public var destination: String

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }
}

/// Mirrors a tree of inputs into output names, keeping every output distinct.
public enum OutputNaming {
    /// Maps each relative source path to `dir/stem.<newExtension>`. When two sources would meet
    /// (`a.png` and `a.jpg` both becoming `a.jpg`), the first in sorted order keeps the plain name
    /// and the others get their old extension in the stem (`a_png.jpg`): nothing is overwritten.
    public static func mirror(_ sources: [String], newExtension: (String) -> String) -> [FileMapping] {
        var taken = Set<String>()
        var result: [FileMapping] = []
        result.reserveCapacity(sources.count)
        // Plain names first, so a file's name does not depend on which others exist.
        var plain: [Int: String] = [:]
        for (i, source) in sources.enumerated() {
            let name = FileTree.deletingExtension(source) + "." + newExtension(source)
            if taken.insert(name).inserted { plain[i] = name }
        }
        for (i, source) in sources.enumerated() {
            if let name = plain[i] {
                result.append(FileMapping(source: source, destination: name))
                continue
            }
            let stem = FileTree.deletingExtension(source) + "_" + FileTree.pathExtension(source).lowercased()
            var name = stem + "." + newExtension(source)
            var n = 2
            while !taken.insert(name).inserted { name = stem + "_\(n)." + newExtension(source); n += 1 }
            result.append(FileMapping(source: source, destination: name))
        }
        return result
    }
}
