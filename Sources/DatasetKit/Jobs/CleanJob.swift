import Crypto

/// `dataset clean`: finds the files a trainer would choke on or learn wrong from, and with a
/// quarantine folder moves them out of the way (never deleting anything).
public struct CleanJob: Sendable {
    public var finder: CleanFinder
    public var decode: DecodeOptions
    /// JPEG quality of images rewritten by `--fix`.
    public var fixQuality: Int

    public init(finder: CleanFinder = CleanFinder(), decode: DecodeOptions = DecodeOptions(), fixQuality: Int = 95) {
        self.finder = finder
        self.decode = decode
        self.fixQuality = fixQuality
    }

    /// The facts of every image file under `tree` (by extension), in path order.
    /// With `shard`, only the files of that worker's part.
    public func inspect(_ tree: FileTree, jobs: Int, shard: WorkShard? = nil, progress: ProgressReporter? = nil) -> [ImageFacts] {
        let inspector = ImageInspector(decode: decode, hashes: true)
        let paths = shard.map { $0.filter(tree.images) { $0 } } ?? tree.images, root = tree.root
        return ParallelRunner.map(0..<paths.count, jobs: jobs) { index in
            let facts = inspector.inspect(root: root, path: paths[index])
            progress?.record(facts.isReadable ? .done() : .failed(facts.failureReason ?? ""))
            return facts
        }
    }

    /// The SHA-256 of every image file under `tree` outside `shard`, for a `--shard` worker's
    /// duplicate and leak checks (which compare every file with every other): the bytes are
    /// read and hashed, not decoded. A file that cannot be read has no hash.
    public func contentHashes(_ tree: FileTree, outside shard: WorkShard, jobs: Int, progress: ProgressReporter? = nil) -> [ImageFacts] {
        let paths = tree.images.filter { !shard.contains($0) }, root = tree.root
        return ParallelRunner.map(0..<paths.count, jobs: jobs) { index in
            var facts = ImageFacts(path: paths[index], fileBytes: 0)
            if let bytes = try? FileIO.readImage(root + "/" + paths[index], limits: decode.limits) {
                facts.fileBytes = bytes.count
                facts.contentHash = SHA256.hash(data: bytes).hexString
            }
            progress?.record(.done())
            return facts
        }
    }

    /// What `apply` did.
    public struct Actions: Sendable, Codable, Equatable {
        /// Moved into the quarantine, relative paths (the same under both folders).
        public var moved: [String] = []
        /// Rewritten as RGB JPEG: original relative path → the new one (the original is quarantined).
        public var fixed: [String: String] = [:]
        public var failures: [Problem] = []
    }

    /// Moves every file with a finding from `root` to `quarantine`, keeping its relative path.
    /// With `fix`, a file whose findings are all convertible (misnamed, non-RGB) is rewritten as
    /// an RGB JPEG (`<stem>.jpg`) in `root` instead, its original moved to the quarantine.
    public func apply(_ findings: [CleanFinding], root: String, quarantine: String, fix: Bool) -> Actions {
        var byPath: [String: [CleanFinding]] = [:]
        var order: [String] = []
        for finding in findings {
            if byPath[finding.path] == nil { order.append(finding.path) }
            byPath[finding.path, default: []].append(finding)
        }
        var actions = Actions()
        let (confinedRoot, confinedQuarantine) = (ConfinedRoot(root), ConfinedRoot(quarantine))
        for path in order {
            let source = root + "/" + path, kept = quarantine + "/" + path
            do {
                // The tree follows symlinked folders to read; a move must not empty one that
                // leads outside the dataset, nor put a file outside the quarantine.
                try confinedRoot.confine(source)
                try confinedQuarantine.confine(kept)
                if fix && byPath[path]!.allSatisfy(\.isConvertible) {
                    actions.fixed[path] = try rewriteAsJPEG(path, root: root, quarantine: quarantine)
                } else {
                    try FileIO.move(source, to: kept)
                    actions.moved.append(path)
                }
            } catch {
                guard case .failed(let reason) = ItemOutcome.failure(error) else { continue }
                actions.failures.append(Problem(path: source, reason: reason))
            }
        }
        return actions
    }

    /// Writes `<stem>.jpg` as RGB and quarantines the original; returns the new relative path.
    private func rewriteAsJPEG(_ path: String, root: String, quarantine: String) throws -> String {
        let ext = FileTree.pathExtension(path)
        let target = ImageFormat(fileExtension: ext) == .jpeg ? path : FileTree.deletingExtension(path) + ".jpg"
        let bytes = try FileIO.readImage(root + "/" + path, limits: decode.limits)
        let jpeg = try ImageEncoder.encode(try ImageDecoder.decode(bytes, options: decode).image,
                                           as: .jpeg(quality: fixQuality, subsampling: .s420))
        if target == path {
            // Same name: the original goes first, so it is never overwritten.
            try FileIO.move(root + "/" + path, to: quarantine + "/" + path)
            try FileIO.writeAtomically(jpeg, to: root + "/" + target)
        } else {
            guard !FileIO.exists(root + "/" + target) else {
                throw FileError(path: root + "/" + target, operation: "write the fixed image", reason: "another file has that name")
            }
            try FileIO.writeAtomically(jpeg, to: root + "/" + target)
            try FileIO.move(root + "/" + path, to: quarantine + "/" + path)
        }
        return target
    }
}
