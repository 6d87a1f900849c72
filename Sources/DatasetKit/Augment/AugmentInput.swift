/// The images an augmentation reads, from one of three layouts, and the index files its output
/// gets.
///
/// - **Class folders**, as `DatasetLayout` reads them: `SRC/<class>/` or `SRC/<split>/<class>/`
///   (each split's class balanced on its own); images in a subfolder of a class folder belong
///   to that class (and are reported). Images in no class folder are grouped by their folder
///   (those directly in `SRC` form one class, `.`). `classes.txt` at the top is copied.
/// - **Labels CSV**: a folder of images and a CSV of `id,label` rows (as `labels to-folders`
///   reads it); the label is the class. The output gets the same CSV name with a row per image.
/// - **Nanonets** (`ImageSets/` + `Annotations/`): multi-label, so only `--copies`; each output
///   gets a copy of its source's annotation, and the output gets `classes.txt` and `labels.csv`.
public struct AugmentInput: Sendable {
    public enum Layout: Sendable, Equatable {
        case classFolders
        case labelsCSV(fileName: String, idColumn: String, labelColumn: String)
        case nanonets(classes: [String])
    }

    public var layout: Layout
    /// The folder the items' paths are relative to.
    public var root: String
    /// In sorted source order.
    public var items: [AugmentItem]
    /// Found while reading the layout (a CSV row with no image, an image with no annotation).
    public var failures: [Problem]
    public var warnings: [Problem]

    /// Class folders under `root`.
    public static func classFolders(root: String, excluding: [String] = []) throws(FileError) -> AugmentInput {
        let layout: DatasetLayout
        do { layout = try DatasetLayout(root: root, excluding: excluding) } catch {
            throw FileError(path: error.path, operation: "read folder", reason: error.reason)
        }
        guard layout.shape != .multiLabel else {
            throw FileError(path: layout.root, operation: "read class folders",
                            reason: "its split folders hold multi-label folders (ImageSets/ + Annotations/): augment each one on its own")
        }
        // A split's class is `<split folder>/<class>`, so each is balanced on its own.
        var items = layout.files.map { file in
            let split = layout.shape == .splits ? String(file.path.prefix { $0 != "/" }) + "/" : ""
            return AugmentItem(source: file.path, group: split + file.className)
        }
        items += layout.loose.map { path in
            AugmentItem(source: path, group: path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ".")
        }
        items.sort { $0.source.utf8.lexicographicallyPrecedes($1.source.utf8) }
        let nested = layout.problems.filter { $0.kind == .nestedFolder }.map(\.problem)
        return AugmentInput(layout: .classFolders, root: layout.root, items: items, failures: layout.unreadable, warnings: nested)
    }

    /// The images under `root` that the rows of `table` name, each in the class of its label.
    public static func labelsCSV(root: String, table: LabelTable, idColumn: String, labelColumn: String,
                                 fileExtension: String? = nil, excluding: [String] = []) throws(FileError) -> AugmentInput {
        let tree = try FileTree(root: root, excluding: excluding)
        let lookup = ImageLookup(tree: tree)
        let resolved = lookup.resolve(table, fileExtension: fileExtension)
        var failures = tree.problems + resolved.failures
        var items: [AugmentItem] = []
        for match in resolved.rows {
            guard !match.row.value.isEmpty else {
                failures.append(Problem(path: "\(table.path):\(match.row.line)", reason: "id '\(match.row.id)': empty label"))
                continue
            }
            items.append(AugmentItem(source: match.image, group: match.row.value, labels: [match.row.value], id: match.row.id))
        }
        items.sort { $0.source.utf8.lexicographicallyPrecedes($1.source.utf8) }
        let name = String(table.path.split(separator: "/").last ?? "labels.csv")
        return AugmentInput(layout: .labelsCSV(fileName: name, idColumn: idColumn, labelColumn: labelColumn),
                            root: lookup.root, items: items, failures: failures, warnings: resolved.warnings)
    }

    /// A Nanonets folder: `ImageSets/` with `Annotations/`.
    public static func nanonets(root: String) throws(FileError) -> AugmentInput {
        let layout = NanonetsLayout(root: root)
        let contents = try layout.read()
        let items = contents.matrix.rows.map { row in
            let image = NanonetsLayout.imagesFolder + "/" + row.filename
            return AugmentItem(source: image, group: nil, labels: row.labels,
                               companion: NanonetsLayout.annotationPath(forImage: row.filename))
        }
        return AugmentInput(layout: .nanonets(classes: contents.matrix.classes), root: layout.root, items: items,
                            failures: contents.failures, warnings: contents.warnings)
    }

    /// Writes the index files of the output at `destination` listing `written` (every output
    /// that is there after the run, with the item it came from).
    ///
    /// A `--shard` worker lists only its outputs, so its row index goes to its own file
    /// (`WorkShard.partName`: `train.w1of4.csv`, `labels.w1of4.csv`); the parts concatenate.
    public func writeIndex(_ written: [(item: AugmentItem, output: String)], to destination: String,
                           shard: WorkShard? = nil) throws(FileError) {
        let part = { (name: String) in shard.map { $0.partName(name) } ?? name }
        let byOutput = written.sorted { $0.output.utf8.lexicographicallyPrecedes($1.output.utf8) }
        switch layout {
        case .classFolders:
            let classes = root + "/" + NanonetsLayout.classesFile
            if FileIO.exists(classes) && !FileIO.isDirectory(classes) {
                try FileIO.writeAtomically(try FileIO.read(classes), to: destination + "/" + NanonetsLayout.classesFile)
            }
        case .labelsCSV(let fileName, let idColumn, let labelColumn):
            var rows = [[idColumn, labelColumn]]
            for (item, output) in byOutput {
                // Ids keep the input's style: without the extension when the input's had none.
                let bare = item.id.map { $0 != item.source && FileTree.pathExtension($0).isEmpty } ?? false
                rows.append([bare ? FileTree.deletingExtension(output) : output, item.labels.first ?? ""])
            }
            try FileIO.writeAtomically(Array(CSVDocument.text(rows).utf8), to: destination + "/" + part(fileName))
        case .nanonets(let classes):
            let prefix = NanonetsLayout.imagesFolder + "/"
            let rows = byOutput.map { MultiHotMatrix.Row(filename: String($0.output.dropFirst(prefix.count)), labels: $0.item.labels) }
            try NanonetsLayout(root: destination).writeIndex(MultiHotMatrix(classes: classes, rows: rows),
                                                             matrixFile: part(NanonetsLayout.matrixFile))
        }
    }
}
