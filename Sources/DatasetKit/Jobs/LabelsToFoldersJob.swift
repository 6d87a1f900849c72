/// `dataset labels to-folders`: a CSV of `id,label` rows and a folder of images become class
/// folders (`<label>/<id>.jpg`), every image decoded and re-encoded as RGB (the HackerEarth
/// notebook's PNG → RGB JPEG step: alpha over white, palettes expanded).
public struct LabelsToFoldersJob: Sendable {
    public var output: ImageOutput
    public var decode: DecodeOptions
    public var overwrite: Bool
    /// The extension ids lack (`png`); nil matches any image file by stem.
    public var imageExtension: String?

    public init(output: ImageOutput = ImageOutput(), decode: DecodeOptions = DecodeOptions(), overwrite: Bool = false,
                imageExtension: String? = nil) {
        self.output = output
        self.decode = decode
        self.overwrite = overwrite
        self.imageExtension = imageExtension
    }

    /// What to write, and what could not be planned.
    public struct Plan: Sendable, Equatable {
        /// Image (relative to the images folder) → `<label>/<id>.<ext>`, in CSV order.
        public var mappings: [FileMapping]
        /// The labels with at least one image, sorted (the order `classes.txt` lists).
        public var classes: [String]
        /// Rows that cannot be done: no image, an ambiguous or shared image, an unusable label;
        /// plus the table's own failures (conflicting duplicates, short rows).
        public var failures: [Problem]
        /// Images no row names (left out), repeated rows, outputs renamed to keep them apart.
        public var warnings: [Problem]
    }

    public func plan(table: LabelTable, images: ImageLookup) -> Plan {
        let resolved = images.resolve(table, fileExtension: imageExtension)
        var plan = Plan(mappings: [], classes: [], failures: resolved.failures, warnings: resolved.warnings)
        var planned: [ResolvedRow] = []
        for match in resolved.rows {
            if let problem = Self.folderNameProblem(match.row.value) {
                plan.failures.append(Problem(path: "\(table.path):\(match.row.line)", reason: "id '\(match.row.id)': \(problem)"))
                continue
            }
            planned.append(match)
        }
        // `x.png` and `x.jpg` of one label would both become `<label>/x.jpg` (the second
        // overwriting the first, or skipped by a rerun). Within each class folder, names are
        // made as `resize` makes them: the first in sorted order keeps `x.jpg`, the other
        // becomes `x_png.jpg`, reported so that nobody looks for it under its plain name.
        var destination: [String: String] = [:]          // image → output
        for (label, rows) in Dictionary(grouping: planned, by: \.row.value) {
            let sources = rows.map(\.image).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for mapping in OutputNaming.mirror(sources, newExtension: output.outputExtension(forSource:)) {
                destination[mapping.source] = label + "/" + mapping.destination
            }
        }
        let owner = Dictionary(planned.map { (destination[$0.image]!, $0.row) }, uniquingKeysWith: { first, _ in first })
        for match in planned {
            let row = match.row, written = destination[match.image]!
            plan.mappings.append(FileMapping(source: match.image, destination: written))
            let plainName = row.value + "/" + FileTree.deletingExtension(match.image) + "." + output.outputExtension(forSource: match.image)
            if written != plainName, let other = owner[plainName] {
                plan.warnings.append(Problem(path: "\(table.path):\(row.line)",
                                             reason: "id '\(row.id)' is written as \(written): \(plainName) is id '\(other.id)' (line \(other.line))"))
            }
        }
        plan.classes = Set(plan.mappings.map { String($0.destination.prefix { $0 != "/" }) })
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return plan
    }

    /// Converts one image (skipped when the output exists, unless `overwrite`).
    public func process(source: String, destination: String) -> ItemOutcome {
        if !overwrite && FileIO.exists(destination) { return .skipped }
        return ImageConversion(output: output, decode: decode).write(source: source, destination: destination)
    }

    /// Why a label cannot name a class folder, or nil when it can.
    static func folderNameProblem(_ label: String) -> String? {
        if label.isEmpty { return "empty label" }
        if PlainName.problem(label) != nil { return "label '\(printableName(label))' cannot be a folder name" }
        if label.hasPrefix(".") { return "label '\(label)' would be a hidden folder" }
        return nil
    }
}
