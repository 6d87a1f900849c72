import Foundation

/// Unpacks a tar (plain, gzip, bzip2, xz) or zip archive into a folder, safely and resumably.
///
/// - Streaming: one pass over the archive, data in blocks; memory does not grow with it.
/// - Safe: absolute paths, `..`, links pointing outside the folder, devices, FIFOs and sockets are
///   refused (reported, skipped); a symlink is never followed when writing; setuid/setgid/sticky
///   bits are dropped; the bytes written are capped by `maxBytes`.
/// - Atomic and resumable: each file is written under a hidden temporary name and renamed; a
///   rerun reads through the archive again but skips files an earlier run of the same archive
///   wrote and nobody changed since (see `UnpackJournal`) unless `overwrite`. As in tar, a later
///   entry of the same path replaces an earlier one.
/// - Optionally checks the archive's digest in the same pass.
///
/// Reading and decompressing run on the calling thread, writing on a second one.
public struct Unpacker: Sendable {
    public var archive: String
    public var destination: String
    /// Rewrite entries that are already there.
    public var overwrite = false
    /// The most bytes of file data to write; the run stops before passing it.
    public var maxBytes: Int64 = Unpacker.defaultMaxBytes
    /// The most bytes to decompress, counting headers, padding and entries not written (see
    /// `DecompressedInput`).
    public var maxDecompressedBytes: Int64 = ArchiveReader.defaultMaxDecompressedBytes
    /// Stop at the first refused or failed entry.
    public var strict = false
    /// The digest the archive must have (checked at the end).
    public var expectedDigest: ArchiveDigest?

    public static let defaultMaxBytes: Int64 = 64 << 30

    public init(archive: String, destination: String) {
        self.archive = archive
        self.destination = destination
    }

    /// Unpacks, then recognises the dataset. Never throws: a run that ends early says why in the
    /// summary's `stoppedBy`. `progress`, if given, should measure bytes of `archiveSize`.
    public func run(progress: ProgressReporter? = nil) -> UnpackSummary {
        let start = Date()
        var summary = UnpackSummary(archive: archive, destination: destination)
        let digest = expectedDigest.map { StreamingDigest($0.algorithm) }
        let reader: ArchiveReader
        let folder: ConfinedFolder
        do {
            reader = try ArchiveReader(path: archive, maxDecompressedBytes: maxDecompressedBytes, observe: digest.map { d in { d.update($0) } })
            folder = try ConfinedFolder(root: destination)
        } catch let error as ArchiveError {
            summary.stoppedBy = UnpackError.archive(error).description
            return summary
        } catch {
            summary.stoppedBy = "\(error)"
            return summary
        }
        let writer = BackgroundWriter(
            writer: EntryWriter(folder: folder, overwrite: overwrite, maxBytes: maxBytes,
                                archive: reader.fileIdentity, journalFor: reader.identity, summary: summary),
            strict: strict)
        var entries = 0
        var readError: ArchiveError?
        do throws(ArchiveError) {
            entries = try stream(reader, into: writer, progress: progress)
            if !writer.shouldStop { try reader.readToEnd() }  // so the digest covers every byte
        } catch {
            readError = error
        }
        forwardProblems(reader, to: writer)
        let actualDigest = readError == nil && !writer.shouldStop ? digest?.finalize() : nil
        // Files written from a damaged stream (a gzip CRC is checked only at its end, a tar
        // reader that skipped a damaged header resynchronised by guessing) or from
        // an archive that is not the one expected must not count as complete on a rerun, which
        // may well be on a fresh download of the same size.
        let untrusted = readError?.kind == .corrupt || reader.skippedDamage
            || (expectedDigest != nil && actualDigest != nil && actualDigest != expectedDigest?.hex)
        let written = writer.finish(forgetWrittenFiles: untrusted)
        summary = written.summary
        summary.entries = entries
        summary.format = reader.formatName
        summary.archiveBytes = reader.bytesRead
        summary.stoppedAtFirstFailure = written.stoppedAtFailure
        if let fatal = written.fatal {
            summary.stoppedBy = fatal.description
        } else if let readError {
            summary.stoppedBy = UnpackError.archive(readError).description
        }
        if let expectedDigest {
            let complete = summary.stoppedBy == nil && !summary.stoppedAtFirstFailure
            summary.verification = .init(algorithm: expectedDigest.algorithm.rawValue, expected: expectedDigest.hex,
                                         actual: complete ? actualDigest : nil)
        }
        progress?.update(completed: Int(reader.bytesRead))
        progress?.finish()
        summary.seconds = Date().timeIntervalSince(start)
        summary.megabytesPerSecond = summary.seconds > 0 ? Double(summary.archiveBytes) / 1e6 / summary.seconds : 0
        summary.dataset = DatasetRecognizer.recognize(destination)
        return summary
    }

    /// Reads every entry, hands safe ones (and their data) to the writer and reports unsafe ones.
    /// Returns the number of entries read.
    private func stream(_ reader: ArchiveReader, into writer: BackgroundWriter,
                        progress: ProgressReporter?) throws(ArchiveError) -> Int {
        var entries = 0
        while !writer.shouldStop, let entry = try reader.next() {
            forwardProblems(reader, to: writer)
            entries += 1
            if entry.nameWasEscaped {
                writer.send(.warning(path: entry.path, reason: "name is not valid UTF-8: its invalid bytes are written as %XX "
                                     + "(and a '%' before two hex digits as %25)"))
            }
            progress?.update(completed: Int(reader.bytesRead))
            let decision = EntryPolicy.decide(entry)
            switch decision {
            case .ignore:
                progress?.record(.skipped)
            case .refuse(let reason):
                writer.send(.refused(path: entry.path, reason: reason))
                progress?.record(.failed(reason))
            case .write(let plan):
                writer.send(.entry(plan, entry, index: entries - 1))
                if plan.action == .file { try copyData(reader, to: writer, progress: progress) }
                progress?.record(.done())
            }
        }
        return entries
    }

    /// Hands the damage and warnings the reader noticed to the writer, which counts them.
    private func forwardProblems(_ reader: ArchiveReader, to writer: BackgroundWriter) {
        let problems = reader.takeProblems()
        for problem in problems.failures { writer.send(.failed(path: problem.path, reason: problem.reason)) }
        for problem in problems.warnings { writer.send(.warning(path: problem.path, reason: problem.reason)) }
    }

    /// Streams the current entry's data to the writer.
    private func copyData(_ reader: ArchiveReader, to writer: BackgroundWriter,
                          progress: ProgressReporter?) throws(ArchiveError) {
        do {
            while let block = try reader.readBlock() {
                writer.send(.data(Array(block.bytes), offset: block.offset))
                progress?.update(completed: Int(reader.bytesRead))
                if writer.shouldStop { break }
            }
            writer.send(.endOfFile)
        } catch where error.kind == .unreadableEntry {
            writer.send(.abandon(reason: error.reason))
        } catch {
            writer.send(.abandon(reason: nil))
            throw error
        }
    }
}
