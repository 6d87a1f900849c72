import ArgumentParser
import DatasetKit

struct ResizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resize",
        abstract: "Resize every image of a folder tree into a mirrored tree, as RGB.",
        discussion: """
            Class folders stay class folders. Non-image files, hidden files (.DS_Store, ._*) and \
            __MACOSX are skipped. The format is detected from the bytes, so a PNG named .jpg is \
            read (and reported as misnamed). JPEG, PNG, BMP and PPM/PGM are read.

            Examples:
              dataset resize food-101/images --to images-224 --size 224x224
              dataset resize train --to train-128 --size 128 --mode crop --filter area
              dataset resize photos --to letterboxed --size 256x256 --mode pad --fill white --format png
              dataset resize food-101/images --to images-224 --size 224 --shard $SLURM_ARRAY_TASK_ID/8
            """
    )

    @Argument(help: "Folder of images (any depth).")
    var source: String

    @Option(name: .customLong("to"), help: "Output folder (created; existing outputs are skipped unless --overwrite).")
    var destination: String

    @OptionGroup(title: "Geometry") var resize: ResizeFlags
    @OptionGroup(title: "Output") var output: OutputOptions
    @OptionGroup(title: "Input") var decode: DecodeFlags
    @OptionGroup(title: "Run") var runOptions: RunOptions
    @OptionGroup(title: "Scale out") var shard: ShardFlags

    @Flag(help: "Always decode JPEGs at full size (default: at 1/2, 1/4 or 1/8 DCT scale when the output is at most that size, which is faster and slightly sharper than a full-size decode then resize).")
    var fullDecode = false

    func validate() throws {
        guard FileIO.isDirectory(source) else {
            throw ValidationError("source '\(source)' is not a folder.")
        }
        if let a = FileTree.canonical(source), let b = FileTree.canonical(destination), a == b {
            throw ValidationError("--to must differ from the source folder (inputs are never overwritten).")
        }
    }

    func run() throws {
        let tree = try FileTree(root: source, excluding: [destination])
        let job = ResizeJob(spec: resize.spec, output: output.imageOutput, decode: decode.options,
                            overwrite: output.overwrite, dctReduction: !fullDecode)
        let mappings = job.plan(tree)
        try FileJob.run(command: "resize", mappings: mappings, sourceRoot: tree.root,
                        destinationRoot: FileTree.normalise(destination), options: runOptions,
                        shard: shard.workShard, planFailures: tree.problems) { source, destination in
            job.process(source: source, destination: destination)
        }
    }
}
