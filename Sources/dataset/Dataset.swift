import ArgumentParser

@main
struct Dataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset",
        abstract: "Prepare image-classification datasets: unpack, split, resize, augment, pack, train."
    )
}
