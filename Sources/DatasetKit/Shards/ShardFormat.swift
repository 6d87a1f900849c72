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
}
