import ArgumentParser
import DatasetKit
import Foundation

/// Runs a planned recipe in this process: each step's command line is parsed by that command's
/// own parser (so a recipe takes exactly the options the CLI takes) and run; finished steps get
/// a stamp; unchanged finished steps are skipped.
struct RecipeRunner {
    var plan: RecipePlan
    var dryRun: Bool

    func run(forceFrom: Int) throws {
        let stamps = plan.work + "/.stamps"
        if !dryRun { try FileIO.createDirectories(stamps) }
        let total = plan.steps.count
        for (index, step) in plan.steps.enumerated() {
            let stampPath = stamps + "/\(step.name).json"
            let line = "dataset " + step.arguments.joined(separator: " ")
            let finished = index < forceFrom && (!step.writesOutput || FileIO.exists(step.output))
                && readStamp(stampPath)?.digest == step.digest
            if finished {
                say("== [\(index + 1)/\(total)] \(step.name): unchanged since it finished, skipped")
                continue
            }
            say("== [\(index + 1)/\(total)] \(step.name): \(line)")
            if dryRun { continue }
            try? FileManager.default.removeItem(atPath: stampPath)
            do {
                var command = try Dataset.parseAsRoot(step.arguments)
                try setAside(step)
                try command.run()
            } catch let exit as ExitCode where exit == .success {
                // A command that ends early on purpose (e.g. nothing to do) finished.
            } catch {
                say("run: step '\(step.name)' failed; earlier steps' outputs are kept in \(plan.work)")
                throw error
            }
            try writeStamp(StepStamp(step: step.name, digest: step.digest, arguments: step.arguments,
                                     finished: ISO8601DateFormatter().string(from: Date())), to: stampPath)
        }
        say("run: \(dryRun ? "dry run of" : "finished") \(total) steps in \(plan.work)")
    }

    /// A step that runs again starts from an empty output: its last output (from other options)
    /// is moved to <work>/.previous/<step>, never deleted outright.
    private func setAside(_ step: RecipePlan.Step) throws {
        guard step.writesOutput, FileIO.exists(step.output) else { return }
        let previous = plan.work + "/.previous"
        try FileIO.createDirectories(previous)
        let target = previous + "/" + step.name
        try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.moveItem(atPath: step.output, toPath: target)
    }

    private func readStamp(_ path: String) -> StepStamp? {
        guard let bytes = try? FileIO.read(path) else { return nil }
        return try? JSONDecoder().decode(StepStamp.self, from: Data(bytes))
    }

    private func writeStamp(_ stamp: StepStamp, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically([UInt8](try encoder.encode(stamp)), to: path)
    }

    private func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
