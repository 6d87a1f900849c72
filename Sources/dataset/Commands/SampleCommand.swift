import ArgumentParser
import DatasetKit

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a small synthetic dataset to try every command without a download.",
        discussion: """
            Layouts: folders (class folders of Food-101-sized JPEGs).

            Example:
              dataset sample folders --to sample --classes 5 --per-class 40
            """
    )

    enum Layout: String, ExpressibleByArgument, CaseIterable { case folders }

    @Argument(help: "Layout to write: \(Layout.allCases.map(\.rawValue).joined(separator: ", ")).")
    var layout: Layout

    @Option(name: .customLong("to"), help: "Output folder.")
    var destination: String

    @Option(help: "Number of classes (1-\(1000)).")
    var classes: Int = 5

    @Option(help: "Images per class.")
    var perClass: Int = 40

    @Option(help: "Random seed: the same seed writes the same bytes.")
    var seed: UInt64 = 1

    @OptionGroup(title: "Run") var runOptions: RunOptions

    func validate() throws {
        guard (1...1000).contains(classes) else { throw ValidationError("--classes must be 1-1000 (got \(classes)).") }
        guard (1...100_000).contains(perClass) else { throw ValidationError("--per-class must be 1-100000 (got \(perClass)).") }
    }

    func run() throws {
        let sample = SampleFolders(classes: classes, perClass: perClass, seed: seed)
        let files = sample.files
        let mappings = files.map { FileMapping(source: $0, destination: $0) }
        try FileJob.run(command: "sample", mappings: mappings, sourceRoot: "", destinationRoot: FileTree.normalise(destination),
                        options: runOptions) { _, destination in
            let parts = destination.split(separator: "/")
            let file = String(parts[parts.count - 1]), folder = String(parts[parts.count - 2])
            guard let c = (0..<classes).first(where: { SampleFolders.className($0) == folder }),
                  let n = Int(file.dropFirst(folder.count + 1).prefix(3)) else { return .failed("internal: bad sample name") }
            do {
                try FileIO.writeAtomically(try sample.jpeg(classIndex: c, index: n), to: destination)
                return .done()
            } catch {
                return .failed("\(error)")
            }
        }
    }
}
