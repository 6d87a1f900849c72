import ArgumentParser
import DatasetKit
import Foundation

struct UnpackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpack",
        abstract: "Unpack a tar, tar.gz, tar.bz2, tar.xz or zip archive, safely and resumably.",
        discussion: """
            Streams a tar once (a zip is read through its central directory). Entries that would land outside the folder (absolute \
            paths, '..', links pointing out), devices, FIFOs and sockets are refused and listed; \
            symlinks are never followed when writing; setuid/setgid bits are dropped. Each file \
            is written under a hidden temporary name and renamed, so a rerun after an interruption \
            finishes the job and skips files already complete (a hidden journal, \
            .dataset-unpack-journal, records which entry wrote each file; as in tar, a later \
            entry of the same path wins). Says which dataset it found \
            (Food-101, Recipes5k, class folders).

            Examples:
              dataset unpack food-101.tar.gz --to data \\
                  --verify md5:85eeb15f3717b99a5da872d97d918f87
              dataset unpack Recipes5k.zip --to data
              dataset unpack big.tar.xz --to data --max-size 200G --json > unpack.json
            """
    )

    @Argument(help: "The archive: .tar, .tar.gz/.tgz, .tar.bz2, .tar.xz or .zip (the format is read from the bytes).")
    var archive: String

    @Option(name: .customLong("to"), help: ArgumentHelp("Folder to unpack into (created if missing).", valueName: "folder"))
    var destination: String

    @Option(help: ArgumentHelp("Stop before writing more than this much data: bytes, or a number with K, M, G, T (powers of 1024) or KB, MB, GB, TB (powers of 1000). Guards against decompression bombs.", valueName: "size"))
    var maxSize: String = "64G"

    @Option(help: ArgumentHelp("Stop before decompressing more than this much (file data, headers, padding and entries not written all count): a size as for --max-size. Guards against decompression bombs that hide their bulk in entries that are never written.", valueName: "size"))
    var maxDecompressed: String = "128G"

    @Option(help: ArgumentHelp("Check the archive while it streams: md5:HEX or sha256:HEX (a bare 32- or 64-digit hex also works). A mismatch fails the run.", valueName: "digest"))
    var verify: String?

    @Flag(help: "Rewrite files that are already there (default: skip files an earlier run of the same archive wrote and nobody changed since, so a rerun finishes an interrupted unpack).")
    var overwrite = false

    @Flag(help: "Stop at the first refused or failed entry instead of reporting it and going on.")
    var strict = false

    @Flag(help: "Print a machine-readable summary (JSON) on stdout.")
    var json = false

    @Flag(name: [.short, .long], help: "No progress display.")
    var quiet = false

    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: archive, isDirectory: &isFolder) else {
            throw ValidationError("archive '\(archive)' does not exist.")
        }
        guard !isFolder.boolValue else { throw ValidationError("archive '\(archive)' is a folder, not an archive file.") }
        if FileIO.exists(destination) && !FileIO.isDirectory(destination) {
            throw ValidationError("--to '\(destination)' is a file; give a folder to unpack into.")
        }
        guard let bytes = ByteCount.parse(maxSize), bytes > 0 else {
            throw ValidationError("--max-size must be a size such as 500M, 50G or a number of bytes (got '\(maxSize)').")
        }
        guard let bytes = ByteCount.parse(maxDecompressed), bytes > 0 else {
            throw ValidationError("--max-decompressed must be a size such as 500M, 50G or a number of bytes (got '\(maxDecompressed)').")
        }
        if let verify, ArchiveDigest(parsing: verify) == nil {
            throw ValidationError("--verify must be md5:<32 hex digits> or sha256:<64 hex digits> (got '\(verify)').")
        }
    }

    func run() throws {
        var unpacker = Unpacker(archive: archive, destination: FileTree.normalise(destination))
        unpacker.overwrite = overwrite
        unpacker.strict = strict
        unpacker.maxBytes = ByteCount.parse(maxSize) ?? Unpacker.defaultMaxBytes
        unpacker.maxDecompressedBytes = ByteCount.parse(maxDecompressed) ?? ArchiveReader.defaultMaxDecompressedBytes
        unpacker.expectedDigest = verify.flatMap(ArchiveDigest.init(parsing:))
        let size = (try? FileManager.default.attributesOfItem(atPath: archive)[.size] as? Int) ?? 0
        let progress = ProgressReporter(label: "unpack", total: size, measure: .bytes, style: quiet ? .quiet : nil)
        let summary = unpacker.run(progress: progress)
        report(summary)
        if !summary.succeeded { throw ExitCode(1) }
    }

    /// Problems, the verdict on the digest, the one-line summary and the dataset found, on
    /// stderr; `--json` on stdout.
    private func report(_ summary: UnpackSummary) {
        var lines: [String] = []
        let shown = 50
        func list(_ problems: [Problem], _ prefix: String) {
            for problem in problems.prefix(shown) { lines.append("\(prefix): \(problem.path): \(problem.reason)") }
            if problems.count > shown { lines.append("\(prefix): ... and \(problems.count - shown) more (see --json)") }
        }
        list(summary.warnings, "warning")
        list(summary.refused, "refused")
        list(summary.failures, "error")
        if let stop = summary.stoppedBy { lines.append("error: \(stop)") }
        if summary.stoppedAtFirstFailure { lines.append("error: stopped at the first failure (--strict)") }
        if let check = summary.verification {
            if let actual = check.actual, check.matches {
                lines.append("verified: \(check.algorithm) \(actual) matches")
            } else if let actual = check.actual {
                lines.append("error: \(check.algorithm) mismatch: expected \(check.expected), got \(actual). The archive "
                             + "is damaged or not the one expected: do not trust the files unpacked from it.")
            } else {
                lines.append("error: \(check.algorithm) not checked: the archive was not read to its end.")
            }
        }
        lines.append(summary.line)
        if let dataset = summary.dataset { lines.append("found: \(dataset)") }
        // Entry names come from the archive: ReportLines escapes them.
        ReportLines.write(lines)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if let data = try? encoder.encode(summary) {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        }
    }
}
