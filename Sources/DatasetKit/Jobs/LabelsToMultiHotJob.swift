/// `dataset labels to-multihot`: images with label sets become the Nanonets layout
/// (`ImageSets/<stem>.jpg` + `Annotations/<stem>.txt`) plus `classes.txt` and `labels.csv`.
///
/// Images already in the output format are copied byte for byte (JPEGs are not compressed a
/// second time), or hard-linked with `hardLink` when the file system allows; others are decoded
/// and re-encoded as RGB.
public struct LabelsToMultiHotJob: Sendable {
    public var output: ImageOutput
    public var decode: DecodeOptions
    public var overwrite: Bool
    public var hardLink: Bool

    public init(output: ImageOutput = ImageOutput(), decode: DecodeOptions = DecodeOptions(), overwrite: Bool = false,
                hardLink: Bool = false) {
        self.output = output
        self.decode = decode
        self.overwrite = overwrite
        self.hardLink = hardLink
    }

    /// One image to write and its annotation.
    public struct Item: Sendable, Equatable {
        /// Source image relative to the images root → `ImageSets/<stem>.<ext>`.
        public var mapping: FileMapping
        /// `Annotations/<stem>.txt`, relative to the output root.
        public var annotationPath: String
        public var annotationText: String
    }

    public struct Plan: Sendable, Equatable {
        public var items: [Item]
        /// The matrix with rows named as in `ImageSets/`, in item order.
        public var matrix: MultiHotMatrix
        /// Sources listed twice (the later ones are left out).
        public var failures: [Problem]
        /// Images renamed because another one has the same file name.
        public var warnings: [Problem]

        /// The same plan written inside `folder` of the output (`train`; "" for the top):
        /// destinations move, the matrix (named as in that folder's `ImageSets/`) stays.
        public func inFolder(_ folder: String) -> Plan {
            guard !folder.isEmpty else { return self }
            var copy = self
            copy.items = items.map { item in
                var moved = item
                moved.mapping.destination = folder + "/" + item.mapping.destination
                moved.annotationPath = folder + "/" + item.annotationPath
                return moved
            }
            return copy
        }
    }

    /// Plans the output of `matrix`, whose rows are named by source image (relative to the
    /// images root `imagesRoot`, used in messages).
    public func plan(_ matrix: MultiHotMatrix, imagesRoot: String) -> Plan {
        var failures: [Problem] = []
        var seen = Set<String>()
        var rows: [MultiHotMatrix.Row] = []
        for row in matrix.rows {
            if seen.insert(row.filename).inserted { rows.append(row) } else {
                failures.append(Problem(path: imagesRoot + "/" + row.filename, reason: "listed twice: the later entry is left out"))
            }
        }
        var items: [Item] = [], renamedRows: [MultiHotMatrix.Row] = [], warnings: [Problem] = []
        for (row, name) in zip(rows, NanonetsLayout.uniqueStems(rows.map(\.filename))) {
            let image = name.stem + "." + output.outputExtension(forSource: row.filename)
            let destination = NanonetsLayout.imagesFolder + "/" + image
            if name.renamed {
                warnings.append(Problem(path: imagesRoot + "/" + row.filename,
                                        reason: "another image has the same file name: written as \(destination)"))
            }
            items.append(Item(mapping: FileMapping(source: row.filename, destination: destination),
                              annotationPath: NanonetsLayout.annotationPath(forImage: image),
                              annotationText: NanonetsLayout.annotationText(row.labels)))
            renamedRows.append(MultiHotMatrix.Row(filename: image, labels: row.labels))
        }
        return Plan(items: items, matrix: MultiHotMatrix(classes: matrix.classes, rows: renamedRows),
                    failures: failures, warnings: warnings)
    }

    /// Writes one item's image (copied, linked or converted) and then its annotation. A rerun
    /// skips an item whose image exists and whose annotation already says the same, unless
    /// `overwrite`; an annotation that changed is rewritten either way.
    public func process(_ item: Item, sourceRoot: String, destinationRoot: String) -> ItemOutcome {
        let imagePath = destinationRoot + "/" + item.mapping.destination
        let annotationPath = destinationRoot + "/" + item.annotationPath
        let annotation = Array(item.annotationText.utf8)
        let writeImage = overwrite || !FileIO.exists(imagePath)
        let writeAnnotation = overwrite || (try? FileIO.read(annotationPath)) != annotation
        guard writeImage || writeAnnotation else { return .skipped }
        var outcome = ItemOutcome.done()
        if writeImage {
            let conversion = ImageConversion(output: output, decode: decode, copySameFormat: true, hardLink: hardLink)
            outcome = conversion.write(source: sourceRoot + "/" + item.mapping.source, destination: imagePath)
            if case .failed = outcome { return outcome }
        }
        if writeAnnotation {
            do { try FileIO.writeAtomically(annotation, to: annotationPath) } catch { return .failed(error.description) }
        }
        return outcome
    }
}
