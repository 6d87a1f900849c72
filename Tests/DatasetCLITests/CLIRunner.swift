import Foundation

/// Runs the built `dataset` binary as a user would and captures what it prints.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    /// The `dataset` executable built beside this test bundle.
    static let binary: String = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dataset").path,
            Bundle.main.bundleURL.appendingPathComponent("dataset").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("dataset").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    /// Runs `executable` (default: `dataset`) with `arguments`; `environment` adds to or
    /// replaces variables of this process's environment.
    static func run(_ arguments: [String], executable: String = binary, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A temporary folder removed at the end of the test.
final class Scratch: Sendable {
    let path = NSTemporaryDirectory() + "dataset-cli-" + UUID().uuidString

    init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ bytes: [UInt8]) {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(bytes).write(to: url)
    }

    func read(_ relative: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path + "/" + relative) ?? Data()) }

    func files(_ relative: String) -> [String] {
        let root = path + "/" + relative
        let all = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        return all.filter { var d: ObjCBool = false; FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &d); return !d.boolValue }.sorted()
    }
}
