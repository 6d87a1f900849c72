/// The file format `pack` writes.
public enum ShardFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// numpy arrays: `<split>-00000.images.npy` (N,H,W,3) and `<split>-00000.labels.npy`.
    case npy
    /// WebDataset tars: `<split>-000000.tar` holding `<key>.jpg` + `<key>.cls` (or `.json`).
    case webdataset

    /// The base name of shard `index` of `split` (`train-00000`, `train-000000`): five digits
    /// for npy (as `train-00000.images.npy`), six for WebDataset (as its own examples).
    public func shardName(split: String, index: Int) -> String {
        let digits = String(index)
        let width = self == .npy ? 5 : 6
        return split + "-" + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The endings of the files a shard consists of (`ShardWriter`s write nothing else).
    static let shardFileSuffixes = [".images.npy", ".labels.npy", ".files.txt", ".tar"]

    /// Whether `name` is one plain name of the form pack gives shard files,
    /// `<split>-<5 or more digits><suffix>`: what a repack may remove when a manifest it
    /// replaces lists it. A manifest is not trusted to name anything else (`classes.txt`,
    /// the user's own files).
    public static func isShardFileName(_ name: String) -> Bool {
        guard PlainName.problem(name) == nil,
              let suffix = shardFileSuffixes.first(where: { name.hasSuffix($0) }) else { return false }
        let stem = name.utf8.dropLast(suffix.utf8.count)
        guard let dash = stem.lastIndex(of: UInt8(ascii: "-")), dash != stem.startIndex else { return false }
        let digits = stem[stem.index(after: dash)...]
        return digits.count >= 5 && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
