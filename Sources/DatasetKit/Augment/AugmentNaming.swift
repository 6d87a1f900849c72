/// Output names of an augmentation run: originals mirror their source path (with the output
/// format's extension), copy `k` of a source is `<its output stem>_aug<k>.<ext>`.
///
/// Names depend only on the set of sources and the output format, never on how many copies a
/// run plans, so a rerun (or a second planning pass) names every copy the same way. They never
/// collide: original names are made distinct as `resize` does (`a.png` and `a.jpg` give `a.jpg`
/// and `a_png.jpg`); `_aug<digits>` at the end of a name tells its stem and index apart, so two
/// copies cannot meet; and a copy whose name a source already has (a file called `x_aug1.jpg`
/// beside `x.jpg`) gets a numbered suffix (`x_aug1_2.jpg`).
public struct AugmentNaming: Sendable {
    private let originals: [String: String]
    private let taken: Set<String>
    private let extensions: [String: String]

    /// Names for `sources` (relative paths) written as `output` says.
    public init(sources: [String], output: ImageOutput) {
        let sorted = sources.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let mappings = OutputNaming.mirror(sorted) { output.outputExtension(forSource: $0) }
        originals = Dictionary(mappings.map { ($0.source, $0.destination) }, uniquingKeysWith: { a, _ in a })
        taken = Set(mappings.map(\.destination))
        extensions = Dictionary(sources.map { ($0, output.outputExtension(forSource: $0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// The original's output name.
    public func original(_ source: String) -> String { originals[source] ?? source }

    /// The name of augmented copy `index` (from 1) of `source`.
    public func copy(_ source: String, _ index: Int) -> String {
        let ext = extensions[source] ?? FileTree.pathExtension(source)
        let stem = FileTree.deletingExtension(original(source)) + "_aug\(index)"
        var name = stem + "." + ext, n = 2
        while taken.contains(name) { name = stem + "_\(n)." + ext; n += 1 }
        return name
    }
}
