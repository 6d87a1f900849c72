/// How many images an augmentation run ends with.
public enum AugmentTarget: Sendable, Hashable {
    /// Every class ends with exactly this many images: its originals plus augmented copies.
    /// A class that already has as many gets no copies; with `cap` it is sampled down to the size.
    case classSize(Int, cap: Bool)
    /// Every image gets this many augmented copies.
    case copies(Int)
}

/// What one original contributes to its class: itself (or not) and a number of copies.
public struct SourceShare: Sendable, Hashable {
    public var source: String
    public var keepsOriginal: Bool
    public var copies: Int

    public init(source: String, keepsOriginal: Bool, copies: Int) {
        self.source = source
        self.keepsOriginal = keepsOriginal
        self.copies = copies
    }

    /// Images this share writes.
    public var outputs: Int { (keepsOriginal ? 1 : 0) + copies }
}

/// Plans a class's copies: exactly the class size, spread as evenly as possible.
///
/// With `n` originals and `m` copies to make, every original gets `⌊m/n⌋` copies and `m mod n`
/// of them one more. Which ones get the extra copy (and which are kept under `cap`) follows a
/// ranking of the originals by a hash of the seed and their path: deterministic, independent
/// of listing order, and stable under removal. Dropping an original (an unreadable file) never
/// takes a copy away from another one, it only adds; so a run can plan, find a bad file, and
/// plan again without anything it already wrote falling out of the plan.
public struct ClassBalancer: Sendable, Hashable {
    public var target: AugmentTarget
    /// Whether the originals are part of the output (`--no-originals` leaves them out, and then
    /// a class size is made of copies alone).
    public var includeOriginals: Bool
    public var seed: UInt64

    public init(target: AugmentTarget, includeOriginals: Bool = true, seed: UInt64 = 0) {
        self.target = target
        self.includeOriginals = includeOriginals
        self.seed = seed
    }

    /// The share of each of one class's originals, in the order given.
    public func plan(_ originals: [String]) -> [SourceShare] {
        let n = originals.count
        switch target {
        case .copies(let k):
            return originals.map { SourceShare(source: $0, keepsOriginal: includeOriginals, copies: k) }
        case .classSize(let size, let cap):
            guard n > 0 else { return [] }
            var rank = [Int](repeating: 0, count: n)
            for (position, index) in ranked(originals).enumerated() { rank[index] = position }
            if includeOriginals && n >= size {
                return originals.indices.map { SourceShare(source: originals[$0], keepsOriginal: !cap || rank[$0] < size, copies: 0) }
            }
            let copies = includeOriginals ? size - n : size
            let (each, extra) = (copies / n, copies % n)
            return originals.indices.map {
                SourceShare(source: originals[$0], keepsOriginal: includeOriginals, copies: each + (rank[$0] < extra ? 1 : 0))
            }
        }
    }

    /// Indices of `originals` from first to last in the seeded ranking.
    func ranked(_ originals: [String]) -> [Int] {
        let keys = originals.map { path -> UInt64 in
            var generator = SeededGenerator(seed: seed ^ 0x5EED_BA1A_4CE0_0000, item: path)
            return generator.next()
        }
        return originals.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : originals[$0].utf8.lexicographicallyPrecedes(originals[$1].utf8) }
    }
}
