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
        /// Images no row names (left out), repeated rows.
        public var warnings: [Problem]
    }

    public func plan(table: LabelTable, images: ImageLookup) -> Plan {
        let resolved = images.resolve(table, fileExtension: imageExtension)
        var plan = Plan(mappings: [], classes: [], failures: resolved.failures, warnings: resolved.warnings)
        var planned: [(row: LabelRow, mapping: FileMapping)] = []
        for match in resolved.rows {
            let row = match.row, image = match.image
            if let problem = Self.folderNameProblem(row.value) {
                plan.failures.append(Problem(path: "\(table.path):\(row.line)", reason: "id '\(row.id)': \(problem)"))
                continue
            }
            let name = FileTree.deletingExtension(image) + "." + output.outputExtension(forSource: image)
            planned.append((row, FileMapping(source: image, destination: row.value + "/" + name)))
        }
        // `x.png` and `x.jpg` of one label would both become `<label>/x.jpg`, and the second
        // would overwrite (or, on a rerun, be skipped for) the first. Which one is meant cannot
        // be told, so neither is written; each is reported with the other.
        let byDestination = Dictionary(grouping: planned.indices, by: { planned[$0].mapping.destination })
        for (index, entry) in planned.enumerated() {
            let sharing = byDestination[entry.mapping.destination]!
            guard sharing.count == 1 else {
                let others = sharing.filter { $0 != index }.map { "id '\(planned[$0].row.id)' on line \(planned[$0].row.line)" }
                plan.failures.append(Problem(path: "\(table.path):\(entry.row.line)",
                                             reason: "id '\(entry.row.id)' would be written as \(entry.mapping.destination), as "
                                                 + others.joined(separator: " and ") + " would: neither is written "
                                                 + "(rename one image, or keep each format with --format keep)"))
                continue
            }
            plan.mappings.append(entry.mapping)
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
        if label == "." || label == ".." || label.contains("/") || label.contains("\0") {
            return "label '\(label)' cannot be a folder name"
        }
        if label.hasPrefix(".") { return "label '\(label)' would be a hidden folder" }
        return nil
    }
}
