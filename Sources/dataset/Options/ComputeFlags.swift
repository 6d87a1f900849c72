import ArgumentParser

/// Compute settings shared by train, evaluate and predict.
struct ComputeFlags: ParsableArguments {
    // Optional, so help says "all cores" rather than the core count of the machine that built it.
    @Option(name: .customLong("threads"), help: "oneDNN threads (default: all cores).")
    var requestedThreads: Int?

    /// The threads to use: as asked, or one per core.
    var threads: Int { requestedThreads ?? RunOptions.coreCount }

    func validate() throws {
        if let requestedThreads, !(1...1024).contains(requestedThreads) {
            throw ValidationError("--threads must be between 1 and 1024 (got \(requestedThreads)).")
        }
    }
}
