import ArgumentParser
import DatasetKit

struct LabelsToFoldersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "to-folders",
        abstract: "Sort images into class folders from a CSV of id,label rows, converting them to RGB.",
        discussion: """
            Made for the HackerEarth products CSV (train.csv: image_id,label, with the images in \
            train_img/<image_id>.png): ids may carry no extension and are matched to an image by \
            name. Every image is decoded and written as RGB (transparency over --background, \
            palettes expanded), as JPEG q90 by default, to OUT/<label>/<id>.jpg; OUT/classes.txt \
            lists the labels, sorted. Ids with no image are errors; images no row names are \
            reported and left out; an id given twice with different labels is an error for that id. \
            Two images of one label that differ only in extension (x.png, x.jpg) are written as \
            x.jpg and x_png.jpg, as resize names them, and reported.

            Examples:
              dataset labels to-folders train.csv --images train_img --to train
              dataset labels to-folders data.csv --images imgs --to classes \\
                  --id-column file --label-column category --format png
            """
    )

    @Argument(help: "The labels CSV (header row naming the columns; quotes, CRLF, BOM are fine).")
    var csv: String

    @Option(help: "Folder holding the images the ids name.")
    var images: String

    @Option(name: .customLong("to"), help: "Output folder: <label>/<id>.<ext> and classes.txt.")
    var destination: String

    @Option(help: "Column holding the image ids.")
    var idColumn = "image_id"

    @Option(help: "Column holding the class label.")
    var labelColumn = "label"

    @Option(name: .customLong("extension"),
            help: "Extension the ids lack, e.g. png (default: any image file whose name without extension is the id).")
    var imageExtension: String?

    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions

    func validate() throws {
        try LabelsCommand.requireFile(csv, "CSV")
        guard FileIO.isDirectory(images) else { throw ValidationError("--images '\(images)' is not a folder.") }
        if let a = FileTree.canonical(images), let b = FileTree.canonical(destination), a == b {
            throw ValidationError("--to must differ from --images (inputs are never overwritten).")
        }
        _ = try LabelsCommand.normalisedExtension(imageExtension)
    }

    func run() throws {
        let table: LabelTable
        do {
            table = try CSVLabels(idColumn: idColumn, valueColumn: labelColumn).read(path: csv)
        } catch {
            throw LabelsCommand.rethrow(error, flags: ["ids": "--id-column", "label": "--label-column"])
        }
        let tree = try FileTree(root: images, excluding: [destination])
        let lookup = ImageLookup(tree: tree)
        let job = LabelsToFoldersJob(output: output.imageOutput, decode: decode.options, overwrite: output.overwrite,
                                     imageExtension: try LabelsCommand.normalisedExtension(imageExtension))
        let plan = job.plan(table: table, images: lookup)
        let root = FileTree.normalise(destination)
        let (summary, _) = try FileJob.execute(command: "labels to-folders", mappings: plan.mappings, sourceRoot: lookup.root,
                                               destinationRoot: root, options: runOptions,
                                               planFailures: tree.problems + plan.failures, planWarnings: plan.warnings) { source, destination in
            job.process(source: source, destination: destination)
        }
        do {
            try FileIO.createDirectories(root)
            try FileIO.writeAtomically(Array(ClassList.text(plan.classes).utf8), to: root + "/classes.txt")
        } catch {
            throw LabelsCommand.failure(error)
        }
        try FileJob.report(summary, options: runOptions)
    }
}
