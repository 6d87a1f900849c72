/// One problem `clean` found with one file.
public struct CleanFinding: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case zeroByte = "zero-byte", unreadable, truncated, misnamed
        case nonRGB = "non-rgb", tiny
        case exactDuplicate = "exact-duplicate", nearDuplicate = "near-duplicate", leak
    }

    /// Relative to the folder cleaned.
    public var path: String
    public var kind: Kind
    public var reason: String
    /// The image this one duplicates (the copy that stays), for duplicates and leaks.
    public var original: String?

    public init(path: String, kind: Kind, reason: String, original: String? = nil) {
        self.path = path
        self.kind = kind
        self.reason = reason
        self.original = original
    }

    /// Fixable by rewriting as an RGB JPEG (`clean --fix`).
    public var isConvertible: Bool { kind == .misnamed || kind == .nonRGB }
}

/// Which duplicates `clean` looks for.
public enum DedupeMode: String, Sendable, Codable, CaseIterable {
    /// No duplicates within a split (copies across splits are still reported as leaks).
    case none
    /// Identical bytes (SHA-256).
    case exact
    /// Identical bytes, and images that look the same (perceptual hash within a threshold).
    case near
}

/// Turns the facts of a folder's images into findings. Pure: no file is touched.
public struct CleanFinder: Sendable {
    /// Images whose shorter side is below this are `tiny`.
    public var minSize: Int
    public var dedupe: DedupeMode
    /// Most differing perceptual-hash bits for a near duplicate.
    public var nearThreshold: Int

    public init(minSize: Int = 32, dedupe: DedupeMode = .exact, nearThreshold: Int = 6) {
        self.minSize = minSize
        self.dedupe = dedupe
        self.nearThreshold = nearThreshold
    }

    /// The findings for `facts` (paths relative to the folder), sorted by path.
    ///
    /// Of each group of duplicates one copy stays: a `train` one when the group spans splits,
    /// else the first by path. Copies in the same split are duplicates; copies in another split
    /// (`<split>/<class>/<file>` trees) are leaks, reported on the non-kept side.
    ///
    /// `elsewhere` (a `--shard` worker's view of the other workers' files: content hashes only)
    /// takes part in the exact-duplicate and leak checks, but only findings on `facts` are
    /// returned, so N workers find between them what one run finds. (Identical bytes decode
    /// alike, so a hashed file in a group with a readable one is readable too.)
    public func findings(_ facts: [ImageFacts], elsewhere: [ImageFacts] = []) -> [CleanFinding] {
        var found = facts.flatMap(fileFindings)
        // The layout is the tree's, whether or not its files are readable or in this shard.
        let hasSplits = DatasetLayout.isSplitTree((facts + elsewhere).map(\.path))
        let compared = facts.filter(\.isReadable) + elsewhere.filter { $0.contentHash != nil }
        let mine = Set(facts.map(\.path))
        // Leaks are looked for even with `dedupe` none: a test image seen in training is never wanted.
        found += duplicateFindings(compared, hasSplits: hasSplits)
            .filter { (dedupe != .none || $0.kind == .leak) && (elsewhere.isEmpty || mine.contains($0.path)) }
        let order = Dictionary(uniqueKeysWithValues: CleanFinding.Kind.allCases.enumerated().map { ($1, $0) })
        return found.sorted { ($0.path.utf8.lexicographicallyPrecedes($1.path.utf8)) || ($0.path == $1.path && order[$0.kind]! < order[$1.kind]!) }
    }

    /// Problems of the file on its own.
    func fileFindings(_ facts: ImageFacts) -> [CleanFinding] {
        let path = facts.path
        if let fileError = facts.fileError { return [CleanFinding(path: path, kind: .unreadable, reason: fileError.reason)] }
        if let error = facts.error {
            switch error {
            case .empty: return [CleanFinding(path: path, kind: .zeroByte, reason: "empty file (0 bytes)")]
            case .truncated: return [CleanFinding(path: path, kind: .truncated, reason: error.description)]
            default: return [CleanFinding(path: path, kind: .unreadable, reason: error.description)]
            }
        }
        var found: [CleanFinding] = []
        if let format = facts.format, let claimed = facts.claimedFormat, claimed != format {
            found.append(CleanFinding(path: path, kind: .misnamed,
                                      reason: "the .\(FileTree.pathExtension(path)) file holds \(format.name) data"))
        }
        if let model = facts.colorModel, !model.isPlainRGB8 {
            found.append(CleanFinding(path: path, kind: .nonRGB, reason: "stored as \(Self.describe(model, format: facts.format)), not 8-bit RGB"))
        }
        if let size = facts.size, min(size.width, size.height) < minSize {
            found.append(CleanFinding(path: path, kind: .tiny, reason: "\(size) is smaller than \(minSize) px on a side"))
        }
        return found
    }

    static func describe(_ model: ColorModel, format: ImageFormat?) -> String {
        let name: String
        switch model.channels {
        case .cmyk, .ycck: name = "CMYK"
        case .rgba: name = "RGB with alpha"
        case .grayAlpha: name = "grayscale with alpha"
        case .paletteAlpha: name = "palette with transparency"
        case .palette: name = "palette"
        case .gray: name = "grayscale"
        case .rgb: name = "RGB"
        }
        let depth = model.bitDepth == 8 ? "" : "\(model.bitDepth)-bit "
        return depth + name + (format.map { " " + $0.name } ?? "")
    }

    private func duplicateFindings(_ facts: [ImageFacts], hasSplits: Bool) -> [CleanFinding] {
        // Union-find over the readable images: exact (same bytes) and, if asked, near.
        var parent = Array(facts.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        var byHash: [String: Int] = [:]
        var exact = Set<Int>()
        for (i, f) in facts.enumerated() {
            guard let hash = f.contentHash else { continue }
            if let first = byHash[hash] { parent[root(i)] = root(first); exact.insert(i) } else { byHash[hash] = i }
        }
        if dedupe == .near {
            let indexed = facts.indices.filter { facts[$0].perceptualHash != nil && !exact.contains($0) }
            let hashes = indexed.map { facts[$0].perceptualHash! }
            for (a, b, _) in PerceptualHash.nearPairs(hashes, threshold: nearThreshold) {
                parent[root(indexed[b])] = root(indexed[a])
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in facts.indices { groups[root(i), default: []].append(i) }
        // Splits as every command names them (`Training/` is train); in a class tree, one split.
        func split(_ i: Int) -> String { hasSplits ? DatasetLayout.split(ofPath: facts[i].path) ?? "" : "" }
        var found: [CleanFinding] = []
        for members in groups.values where members.count > 1 {
            let ordered = members.sorted { a, b in
                let (ta, tb) = (split(a) == PackInput.defaultSplit, split(b) == PackInput.defaultSplit)
                return ta != tb ? ta : facts[a].path.utf8.lexicographicallyPrecedes(facts[b].path.utf8)
            }
            let kept = ordered[0]
            for i in ordered.dropFirst() {
                let same = facts[i].contentHash == facts[kept].contentHash
                let how = same ? "identical bytes" : "looks the same (perceptual hash within \(nearThreshold) bits)"
                if split(i) != split(kept) {
                    found.append(CleanFinding(path: facts[i].path, kind: .leak,
                                              reason: "also in \(split(kept)): \(facts[kept].path) (\(how))", original: facts[kept].path))
                } else {
                    found.append(CleanFinding(path: facts[i].path, kind: same ? .exactDuplicate : .nearDuplicate,
                                              reason: "duplicate of \(facts[kept].path) (\(how))", original: facts[kept].path))
                }
            }
        }
        return found
    }
}
