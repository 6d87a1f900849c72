import ArgumentParser

@main
struct Dataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Prepare image-classification datasets: unpack, split, resize, augment, pack, train.",
        discussion: """
            Every command reads a folder and writes a folder, so they chain. Inputs are never \
            changed; outputs are written atomically and a rerun skips what is already done.
            Exit status: 0 all good, 1 some files failed (each is listed with its reason), \
            64 bad arguments.
            """,
        subcommands: [ResizeCommand.self, AugmentCommand.self, SampleCommand.self, LabelsCommand.self]
    )
}
