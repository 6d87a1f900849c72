/// The shards of one split: rows go into shard 0 until it holds `shardSize`, then shard 1, ...
///
/// A shard is opened at its first row and told how many rows to expect: `shardSize`, or fewer
/// when fewer candidate images are left. If some of them then fail to decode, the writer
/// corrects its header when it closes.
final class ShardSequence {
    /// The split's name, which starts every shard name and WebDataset key; a `--shard` worker's
    /// carries its tag (`train-w1of4`), so N workers' files and keys never collide.
    let split: String
    private let format: ShardFormat
    private let shardSize: Int
    private let open: (_ name: String, _ expectedRows: Int) throws(PackError) -> any ShardWriter
    private var current: (any ShardWriter)?
    private var rowsInCurrent = 0
    /// Images not yet appended or skipped.
    private var candidatesLeft: Int
    private(set) var rowCount = 0
    private(set) var shards: [Manifest.Shard] = []

    init(split: String, format: ShardFormat, shardSize: Int, candidates: Int,
         open: @escaping (_ name: String, _ expectedRows: Int) throws(PackError) -> any ShardWriter) {
        self.split = split
        self.format = format
        self.shardSize = shardSize
        self.candidatesLeft = candidates
        self.open = open
    }

    /// The WebDataset key of row `row`: the split (dots and slashes made `_`, since WebDataset
    /// cuts keys at the first dot) and the row number.
    static func key(split: String, row: Int) -> String {
        let safe = String(split.map { $0 == "." || $0 == "/" ? "_" : $0 })
        let digits = String(row)
        return safe + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    func append(_ row: PackedRow, label: PackLabel, source: String) throws(PackError) {
        let writer: any ShardWriter
        if let current { writer = current } else {
            writer = try open(format.shardName(split: split, index: shards.count), min(shardSize, candidatesLeft))
            current = writer
            rowsInCurrent = 0
        }
        try writer.append(row, label: label, key: Self.key(split: split, row: rowCount), source: source)
        candidatesLeft -= 1
        rowCount += 1
        rowsInCurrent += 1
        if rowsInCurrent == shardSize { try closeCurrent() }
    }

    /// A candidate image that failed: it takes no row.
    func skip() { candidatesLeft -= 1 }

    /// Closes the last shard; returns every shard of the split.
    func finish() throws(PackError) -> [Manifest.Shard] {
        if current != nil { try closeCurrent() }
        return shards
    }

    func cancel() {
        current?.cancel()
        current = nil
    }

    private func closeCurrent() throws(PackError) {
        guard let writer = current else { return }
        current = nil
        do { shards.append(try writer.finish()) } catch {
            writer.cancel()
            throw error
        }
    }
}
