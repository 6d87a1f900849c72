import Foundation

/// A Python 3 with the modules a test needs, found once: `$DATASET_TEST_PYTHON`, then `python3`
/// on the PATH, then Debian's `/usr/bin/python3` (where `python3-numpy` installs). Tests that
/// need one are skipped cleanly when none has the modules.
enum PythonInterop {
    static func interpreter(with modules: [String]) -> String? {
        let candidates = [ProcessInfo.processInfo.environment["DATASET_TEST_PYTHON"], "python3", "/usr/bin/python3"].compactMap { $0 }
        return candidates.first { (try? run($0, "import " + modules.joined(separator: ", ")))?.status == 0 }
    }

    static let numpy = interpreter(with: ["numpy"])
    static let webdataset = interpreter(with: ["webdataset", "numpy", "PIL"])

    /// Runs `script` with `python` (a path or a name on the PATH); extra arguments follow it in `sys.argv`.
    static func run(_ python: String, _ script: String, arguments: [String] = []) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
