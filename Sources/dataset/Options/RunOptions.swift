import ArgumentParser

/// Options every file-processing command shares: parallelism, failure policy and reporting.
struct RunOptions: ParsableArguments {
    // Optional, so help says "all cores" rather than the core count of the machine that built it.
    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Worker threads (default: all cores).")
    var requestedJobs: Int?

    /// The worker threads to use: as asked, or one per core.
    var jobs: Int { requestedJobs ?? RunOptions.coreCount }

    @Flag(help: "Stop at the first file that fails instead of reporting it and going on.")
    var strict = false

    @Flag(help: "Print a machine-readable summary (JSON) on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress display.")
    var quiet = false

    func validate() throws {
        if let requestedJobs, !(1...1024).contains(requestedJobs) {
            throw ValidationError("--jobs must be between 1 and 1024 (got \(requestedJobs)).")
        }
    }

    static var coreCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
