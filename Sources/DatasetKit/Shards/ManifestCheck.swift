/// A `manifest.json` field that does not hold what `pack` writes: a count that disagrees with
/// the lists it counts, a per-channel array of the wrong length, a file name that is not one
/// plain name beside the manifest.
public struct ManifestFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest file.
    public var path: String
    /// The field, as a JSON path (`splits[0].classCounts`).
    public var field: String
    public var reason: String

    public init(path: String, field: String, reason: String) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(path): \(field): \(reason)" }

    /// The field a JSON decoding error is about (`preparation.normalization.channelOrder`), and why.
    public init(path: String, decoding error: DecodingError) {
        func name(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                key.intValue.map { "\(text)[\($0)]" } ?? (text.isEmpty ? key.stringValue : text + "." + key.stringValue)
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(path: path, field: name(context.codingPath + [key]), reason: "is missing")
        case .valueNotFound(let type, let context):
            self.init(path: path, field: name(context.codingPath), reason: "is null, not \(type)")
        case .typeMismatch(let type, let context):
            self.init(path: path, field: name(context.codingPath), reason: "is not \(type)")
        case .dataCorrupted(let context):
            let field = name(context.codingPath)
            self.init(path: path, field: field.isEmpty ? "(document)" : field, reason: context.debugDescription)
        @unknown default:
            self.init(path: path, field: "(document)", reason: "\(error)")
        }
    }
}

extension Manifest {
    /// Checks every field a reader indexes or sizes by: done once when a manifest is read, so
    /// merging, training and repacking can trust lengths and names (a hostile or damaged
    /// manifest is an error naming the file and the field, never a crash or a write elsewhere).
    public func check(path: String) throws(ManifestFieldError) {
        func fail(_ field: String, _ reason: String) -> ManifestFieldError {
            ManifestFieldError(path: path, field: field, reason: reason)
        }
        guard formatVersion >= 1, formatVersion <= Manifest.currentFormatVersion else {
            throw fail("formatVersion", "\(formatVersion) is not a version this dataset reads (1...\(Manifest.currentFormatVersion)): written by a newer dataset?")
        }
        let channels = image.channels
        guard channels == 3 else { throw fail("image.channels", "\(channels), but packs hold RGB (3)") }
        guard image.height > 0, image.width > 0, CheckedSize.product(image.height, image.width, channels, 4) != nil else {
            throw fail("image", "\(image.width)x\(image.height) is not an image size")
        }
        guard [NPYDType.uint8.name, NPYDType.float32.name].contains(image.dtype) else {
            throw fail("image.dtype", "'\(image.dtype)' is neither uint8 nor float32")
        }
        for (index, name) in classes.enumerated() where name.isEmpty || name.utf8.contains(where: { $0 < 0x20 }) {
            throw fail("classes[\(index)]", "'\(printableName(name))' is not a class name (empty, or holds a control character)")
        }
        try checkChannels(normalization.mean, "preparation.normalization.mean", fail)
        try checkChannels(normalization.std, "preparation.normalization.std", fail)
        // The one preparation check, shared with model.json: the resize gives the packed size, and
        // no pixel becomes NaN or infinite.
        if let problem = preparation.problem(size: PixelSize(width: image.width, height: image.height)) {
            throw fail("preparation." + problem.field, problem.reason)
        }
        try checkChannels(statistics.mean, "statistics.mean", fail)
        try checkChannels(statistics.std, "statistics.std", fail)
        var splitNames = Set<String>(), fileNames = Set<String>()
        for (s, split) in splits.enumerated() {
            let at = "splits[\(s)]"
            if let reason = PlainName.problem(split.name) { throw fail(at + ".name", "'\(printableName(split.name))' \(reason)") }
            guard splitNames.insert(split.name).inserted else { throw fail(at + ".name", "'\(split.name)' is listed twice") }
            guard split.classCounts.count == classes.count else {
                throw fail(at + ".classCounts", "\(split.classCounts.count) counts for \(classes.count) classes")
            }
            guard split.count >= 0, split.classCounts.allSatisfy({ $0 >= 0 }) else { throw fail(at, "a count is negative") }
            try checkChannels(split.mean, at + ".mean", fail)
            try checkChannels(split.std, at + ".std", fail)
            let rows = split.shards.reduce(Optional(0)) { total, shard in total.flatMap { CheckedSize.sum($0, shard.rows) } }
            guard rows == split.count else {
                throw fail(at + ".shards", "their rows do not add up to the split's count \(split.count)")
            }
            for (h, shard) in split.shards.enumerated() {
                for (f, file) in shard.files.enumerated() {
                    let fileAt = "\(at).shards[\(h)].files[\(f)]"
                    if let reason = PlainName.problem(file.name) {
                        throw fail(fileAt + ".name", "'\(printableName(file.name))' \(reason): shard files are beside the manifest")
                    }
                    guard fileNames.insert(file.name).inserted else { throw fail(fileAt + ".name", "'\(file.name)' is listed twice") }
                    guard file.bytes >= 0 else { throw fail(fileAt + ".bytes", "\(file.bytes) is negative") }
                    if let shape = file.shape {
                        guard CheckedSize.product(shape) != nil else { throw fail(fileAt + ".shape", "\(shape) is not an array shape") }
                        guard shape.first == shard.rows else {
                            throw fail(fileAt + ".shape", "\(shape) does not start with the shard's \(shard.rows) rows")
                        }
                    }
                }
            }
        }
        if let part {
            guard part.pixelSums.count == splits.count else {
                throw fail("part.pixelSums", "\(part.pixelSums.count) entries for \(splits.count) splits")
            }
            for (s, sums) in part.pixelSums.enumerated() {
                guard sums.pixels >= 0 else { throw fail("part.pixelSums[\(s)].pixels", "\(sums.pixels) is negative") }
                guard sums.sums.count == channels, sums.squareSums.count == channels else {
                    throw fail("part.pixelSums[\(s)]", "\(sums.sums.count) sums and \(sums.squareSums.count) sums of squares for \(channels) channels")
                }
            }
        }
    }

    private func checkChannels(_ values: [Double], _ field: String,
                               _ fail: (String, String) -> ManifestFieldError) throws(ManifestFieldError) {
        guard values.count == image.channels else { throw fail(field, "\(values.count) values for \(image.channels) channels") }
    }
}
