import ArgumentParser
import DatasetKit

struct LabelsToMultiHotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "to-multihot",
        abstract: "Write a multi-label dataset (Nanonets layout, classes.txt, labels.csv) from tag lists or Recipes5k ingredients.",
        discussion: """
            Output: OUT/ImageSets/<stem>.jpg, OUT/Annotations/<stem>.txt (label names, one per \
            line), OUT/classes.txt and OUT/labels.csv (filename,<class>... with 0/1). Images already \
            in the output format are copied byte for byte (--hardlink links them instead); others \
            are converted to RGB. Two images with the same file name get their folder as a prefix \
            (<class>__<stem>), reported.

            Tags: repeated within a line → counted once (reported); not in --classes → dropped \
            (reported); labels on fewer than --min-count images → dropped (reported); an image left \
            with no label → skipped (reported; --keep-empty keeps it as an all-zero row).

            A --mapping CSV (ingredient,label) folds tags into labels: several rows per ingredient \
            are allowed; keys may be a Recipes5k class (miso_soup,soups); an empty label marks an \
            ingredient as known but tagless; unmapped ones are reported.

            Examples:
              dataset labels to-multihot train_tags.csv --images train-jpg --to planet
              dataset labels to-multihot Recipes5k --from recipes5k --to food \\
                  --mapping food-tags.csv --split train
              dataset labels to-multihot Recipes5k --from recipes5k --to ingredients \\
                  --raw --min-count 20
              dataset labels to-multihot Recipes5k --from recipes5k --to tags \\
                  --split each --min-count 20       # tags/train, tags/val, tags/test
            """
    )

    enum Source: String, ExpressibleByArgument, CaseIterable { case csv, recipes5k }
    enum IngredientNames: String, EnumerableFlag { case simplified, raw }
    enum SplitChoice: String, ExpressibleByArgument, CaseIterable { case train, val, test, all, each }

    @Argument(help: "The tags CSV (--from csv) or the Recipes5k folder, or the folder it was unpacked in (--from recipes5k).")
    var source: String

    @Option(help: "What SOURCE is: \(Source.allCases.map(\.rawValue).joined(separator: ", ")).")
    var from: Source = .csv

    @Option(name: .customLong("to"), help: "Output folder.")
    var destination: String

    @Option(help: "Folder holding the images the CSV names (--from csv).")
    var images: String?

    @Option(help: "CSV column holding the image names (--from csv).")
    var idColumn = "filename"

    @Option(help: "CSV column holding the tags (--from csv).")
    var tagsColumn = "tags"

    @Option(help: "What separates tags within the cell; a space (the default) splits on any run of blanks.")
    var separator = " "

    @Option(name: .customLong("extension"), help: "Extension the CSV's names lack, e.g. jpg (default: match any image by name).")
    var imageExtension: String?

    @Flag(help: "Recipes5k ingredient names: simplified (default, ingredients_simplified_Recipes5k.txt) or raw.")
    var ingredientNames: IngredientNames?

    @Option(help: "Recipes5k split: train, val, test, all (default: every split in one folder) or each (OUT/<split>/ per split, one class list for all, as pack reads them).")
    var split: SplitChoice?

    @Option(help: "CSV of ingredient,label rows folding tags into a few labels.")
    var mapping: String?

    @Flag(help: "With --mapping: keep unmapped tags as labels of their own (default: drop and report them).")
    var keepUnmapped = false

    @Option(help: "File listing the accepted classes, one per line, in matrix order; other tags are reported and dropped.")
    var classes: String?

    @Option(help: "Drop labels carried by fewer images than this.")
    var minCount = 1

    @Flag(help: "Keep images left with no label (all-zero rows) instead of skipping them.")
    var keepEmpty = false

    @Flag(help: "Hard-link images that need no conversion instead of copying them (same file system only).")
    var hardlink = false

    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions

    func validate() throws {
        switch from {
        case .csv:
            if FileIO.isDirectory(source) {
                throw ValidationError("SOURCE '\(source)' is a folder: for a Recipes5k tree pass --from recipes5k.")
            }
            try LabelsCommand.requireFile(source, "CSV")
            guard let images else { throw ValidationError("--images is required with --from csv (the folder the CSV's names are in).") }
            guard FileIO.isDirectory(images) else { throw ValidationError("--images '\(images)' is not a folder.") }
            if ingredientNames != nil { throw ValidationError("--simplified/--raw apply to --from recipes5k only.") }
            if split != nil { throw ValidationError("--split applies to --from recipes5k only.") }
        case .recipes5k:
            if images != nil { throw ValidationError("--images applies to --from csv only (Recipes5k's images are in its images/ folder).") }
            do { _ = try Recipes5kLayout.locate(source) } catch { throw ValidationError("\(error).") }
        }
        guard !separator.isEmpty else { throw ValidationError("--separator must not be empty (use ' ' for blanks).") }
        guard minCount >= 1 else { throw ValidationError("--min-count must be at least 1 (got \(minCount)).") }
        if keepUnmapped && mapping == nil { throw ValidationError("--keep-unmapped needs --mapping.") }
        if let mapping { try LabelsCommand.requireFile(mapping, "--mapping") }
        if let classes { try LabelsCommand.requireFile(classes, "--classes") }
        _ = try LabelsCommand.normalisedExtension(imageExtension)
        for input in [source, images].compactMap({ $0 }) {
            if let a = FileTree.canonical(input), let b = FileTree.canonical(destination), a == b {
                throw ValidationError("--to must differ from the input folders (inputs are never overwritten).")
            }
        }
    }

    func run() throws {
        var input = try readItems()
        if let mapping { try fold(&input, mappingPath: mapping) }
        var classList: [String]? = nil
        if let classes {
            do { classList = try ClassList.read(path: classes) } catch { throw LabelsCommand.failure(error) }
        }
        // Classes and --min-count are decided over every image, so all parts share one class list.
        let built = MultiHotBuilder(classes: classList, preferredOrder: input.classOrder, minCount: minCount,
                                    keepEmpty: keepEmpty).build(input.items)
        if let why = built.report.emptyReason(built.matrix) { throw commandFailure("nothing to write: \(why)") }
        let job = LabelsToMultiHotJob(output: output.imageOutput, decode: decode.options, overwrite: output.overwrite,
                                      hardLink: hardlink)
        let imagesRoot = input.imagesRoot
        let root = FileTree.normalise(destination)
        // One Nanonets folder, or (--split each) one per split: each planned on its own, since
        // image names need only be unique within a folder.
        let parts = input.parts.map { part in
            (layout: NanonetsLayout(root: part.folder.isEmpty ? root : root + "/" + part.folder),
             plan: job.plan(part.names.map { names in built.matrix.filter { names.contains($0.filename) } } ?? built.matrix,
                            imagesRoot: imagesRoot).inFolder(part.folder))
        }
        let items = parts.flatMap(\.plan.items)
        let warnings = input.warnings + built.report.warnings(source: from == .csv ? source : imagesRoot) + parts.flatMap(\.plan.warnings)

        do { for part in parts { try part.layout.createFolders() } } catch { throw LabelsCommand.failure(error) }
        let itemByDestination = Dictionary(uniqueKeysWithValues: items.map { (root + "/" + $0.mapping.destination, $0) })
        let (summary, outcomes) = try FileJob.execute(
            command: "labels to-multihot", mappings: items.map(\.mapping), sourceRoot: imagesRoot,
            destinationRoot: root, options: runOptions, planFailures: input.failures + parts.flatMap(\.plan.failures),
            planWarnings: warnings
        ) { _, destination in
            job.process(itemByDestination[destination]!, sourceRoot: imagesRoot, destinationRoot: root)
        }
        // Each index lists the images that are there: failed or unattempted ones are left out.
        var remaining = outcomes[...]
        do {
            for part in parts {
                let partOutcomes = remaining.prefix(part.plan.items.count)
                remaining = remaining.dropFirst(part.plan.items.count)
                let written = Set(zip(part.plan.matrix.rows, partOutcomes).compactMap { row, outcome -> String? in
                    switch outcome {
                    case .done?, .skipped?: row.filename
                    default: nil
                    }
                })
                try part.layout.writeIndex(part.plan.matrix.filter { written.contains($0.filename) })
            }
            // Over split folders, a classes.txt at the top gives pack the one column order.
            if parts.count > 1 {
                try FileIO.writeAtomically(Array(ClassList.text(built.matrix.classes).utf8), to: root + "/" + NanonetsLayout.classesFile)
            }
        } catch {
            throw LabelsCommand.failure(error)
        }
        try FileJob.report(summary, options: runOptions)
    }

    /// The tagged images, the folder their names are relative to, and what was wrong on the way.
    private struct Input {
        var items: [TaggedItem]
        var imagesRoot: String
        var failures: [Problem] = []
        var warnings: [Problem] = []
        /// The class order a mapping gives (its labels' order).
        var classOrder: [String] = []
        /// The output folders, each with the item names it holds (nil: all of them); one
        /// unnamed folder unless --split each.
        var parts: [(folder: String, names: Set<String>?)] = [("", nil)]
    }

    private func readItems() throws -> Input {
        switch from {
        case .csv:
            let table: LabelTable
            do {
                table = try CSVLabels(idColumn: idColumn, valueColumn: tagsColumn, valueRole: "tags").read(path: source)
            } catch {
                throw LabelsCommand.rethrow(error, flags: ["ids": "--id-column", "tags": "--tags-column"])
            }
            let tree = try FileTree(root: images!, excluding: [destination])
            let lookup = ImageLookup(tree: tree)
            let resolved = lookup.resolve(table, fileExtension: try LabelsCommand.normalisedExtension(imageExtension))
            let items = resolved.rows.map {
                TaggedItem(name: $0.image, tags: TaggedItem.splitTags($0.row.value, separator: separator),
                           origin: "\(table.path):\($0.row.line)")
            }
            return Input(items: items, imagesRoot: lookup.root, failures: tree.problems + resolved.failures,
                         warnings: resolved.warnings)
        case .recipes5k:
            let layout = try Recipes5kLayout.locate(source)
            let splits = split.flatMap { Recipes5kLayout.Split(rawValue: $0.rawValue) }.map { [$0] } ?? Recipes5kLayout.Split.allCases
            do {
                guard split == .each else {
                    let read = try Recipes5kTagging(splits: splits, simplified: ingredientNames != .raw).read(layout)
                    return Input(items: read.items, imagesRoot: layout.imagesFolder, failures: read.failures)
                }
                var input = Input(items: [], imagesRoot: layout.imagesFolder, parts: [])
                for split in splits {
                    let read = try Recipes5kTagging(splits: [split], simplified: ingredientNames != .raw).read(layout)
                    input.items += read.items
                    input.failures += read.failures
                    input.parts.append((split.rawValue, Set(read.items.map(\.name))))
                }
                return input
            } catch {
                throw LabelsCommand.failure(error)
            }
        }
    }

    /// Folds the items' tags through the mapping file; unmapped ones become warnings.
    private func fold(_ input: inout Input, mappingPath: String) throws {
        let mapping: IngredientMapping
        do { mapping = try IngredientMapping.read(path: mappingPath) } catch { throw LabelsCommand.failure(error) }
        let folded = mapping.fold(input.items, keepUnmapped: keepUnmapped,
                                  recipeClass: from == .recipes5k ? Recipes5kTagging.recipeClass : { _ in nil })
        input.items = folded.items
        input.classOrder = mapping.labels
        input.warnings += IngredientMapping.unmappedWarnings(folded.unmapped, mappingPath: mappingPath, keptUnmapped: keepUnmapped)
    }
}
