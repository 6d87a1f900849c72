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
        try checkCommandLines()
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
            try checkWrites(step)
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

    /// Parses every step's command line with the CLI's own parser before the first step runs,
    /// so an unknown command or option, or a value of the wrong form, anywhere in the recipe
    /// (or in a --set) stops the run before anything is written. A command's own `validate()`
    /// may fail here only because an earlier step's output does not exist yet: that failure is
    /// left for the step itself to report when it runs, and its options are looked up instead
    /// (ArgumentParser looks for unknown ones only after `validate()`).
    private func checkCommandLines() throws {
        var problems: [String] = []
        for step in plan.steps {
            do { _ = try Dataset.parseAsRoot(step.arguments) } catch {
                let line = "step '\(step.name)' (dataset \(step.arguments.joined(separator: " ")))"
                guard CommandLineCheck.isValidationFailure(error) else {
                    problems.append("\(line): \(Dataset.message(for: error))")
                    continue
                }
                for option in CommandLineCheck.unknownOptions(step.arguments) { problems.append("\(line): Unknown option '\(option)'") }
            }
        }
        guard problems.isEmpty else {
            throw ValidationError("the recipe cannot run; nothing was run:\n" + problems.map { "  - " + $0 }.joined(separator: "\n"))
        }
    }

    /// The paths the recipe makes `step` write are inside the work folder (checked when
    /// planning), and no symlink on their way leads out of it.
    private func checkWrites(_ step: RecipePlan.Step) throws {
        let work = FileTree.normalise(plan.work)
        for path in step.writes where path.hasPrefix(work + "/") {
            do { _ = try ContainedPath(String(path.dropFirst(work.count + 1)), from: "step '\(step.name)'").location(in: work) } catch {
                say("run: step '\(step.name)' would write \(path): \(error.reason); not run")
                throw ExitCode(1)
            }
        }
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

    private func say(_ text: String) { ReportLines.write(text) }
}
