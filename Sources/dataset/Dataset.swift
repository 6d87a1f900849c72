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
        subcommands: [UnpackCommand.self, SplitCommand.self, LabelsCommand.self, CleanCommand.self,
                      StatsCommand.self, ResizeCommand.self, AugmentCommand.self, PackCommand.self, FeaturesCommand.self, MergeManifestsCommand.self,
                      TrainCommand.self, EvaluateCommand.self, PredictCommand.self, SampleCommand.self,
                      RunCommand.self]
    )
}
