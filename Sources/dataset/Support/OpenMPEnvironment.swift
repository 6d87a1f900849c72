import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// OpenMP's settings for oneDNN, in place before oneDNN starts.
///
/// libgomp reads its environment once, when the process loads it (before any Swift code
/// runs), so `train`, `evaluate` and `predict` set it and re-execute themselves once:
/// `OMP_NUM_THREADS` from `--threads`, and `OMP_WAIT_POLICY=passive` unless the user chose a
/// policy. Passive waiting matters on a shared machine: with libgomp's default spinning, a
/// thread waiting at a barrier burns the core its partner needs, and a busy 2-core host slows
/// training 2-5x; idle threads that sleep cost a few microseconds per primitive instead.
enum OpenMPEnvironment {
    private static let marker = "DATASET_OPENMP_SET"

    /// Re-executes this command with the settings unless they are in place; returns when they are.
    static func prepare(threads: Int) {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        guard environment[marker] == nil else { return }
        setenv(marker, "1", 1)
        setenv("OMP_NUM_THREADS", String(threads), 1)
        if environment["OMP_WAIT_POLICY"] == nil && environment["GOMP_SPINCOUNT"] == nil { setenv("OMP_WAIT_POLICY", "passive", 1) }
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // Only reached if exec failed: carry on with the settings oneDNN calls can still change.
        arguments.forEach { free($0) }
        #endif
    }
}
