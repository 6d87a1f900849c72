import ArgumentParser

/// Compute settings shared by train, evaluate and predict.
struct ComputeFlags: ParsableArguments {
    @Option(help: "oneDNN threads (default: all cores).")
    var threads: Int = RunOptions.coreCount

    func validate() throws {
        guard (1...1024).contains(threads) else { throw ValidationError("--threads must be between 1 and 1024 (got \(threads)).") }
    }
}
