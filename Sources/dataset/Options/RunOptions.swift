import ArgumentParser

/// Options every file-processing command shares: parallelism, failure policy and reporting.
struct RunOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "Worker threads (default: all cores).")
    var jobs: Int = RunOptions.coreCount

    @Flag(help: "Stop at the first file that fails instead of reporting it and going on.")
    var strict = false

    @Flag(help: "Print a machine-readable summary (JSON) on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress display.")
    var quiet = false

    func validate() throws {
        guard (1...1024).contains(jobs) else {
            throw ValidationError("--jobs must be between 1 and 1024 (got \(jobs)).")
        }
    }

    static var coreCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
