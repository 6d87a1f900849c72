import ArgumentParser
import DatasetKit
import Foundation

struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "Turn label files into the layouts trainers read: class folders, multi-hot annotations, label matrices.",
        discussion: """
            to-folders:  id,label CSV (HackerEarth products) → <label>/<id>.jpg
            to-multihot: tag lists or Recipes5k ingredients → ImageSets/, Annotations/, labels.csv
            to-matrix:   ImageSets/ + Annotations/ → labels.csv
            """,
        subcommands: [LabelsToFoldersCommand.self, LabelsToMultiHotCommand.self, LabelsToMatrixCommand.self]
    )

    /// Prints `error: <message>` and returns exit status 1: for a labels file that cannot be
    /// used at all (arguments were fine, the input is not).
    static func failure(_ error: any Error) -> ExitCode { commandFailure(error) }

    /// A CSV whose named column is missing is a bad argument (exit 64) naming the flag; other
    /// unusable files are errors (exit 1).
    static func rethrow(_ error: LabelsError, flags: [String: String]) -> Error {
        if case .missingColumn(_, let column, let role, _) = error, let flag = flags[role] {
            return ValidationError("\(error). Name the \(role) column with \(flag) (got '\(column)').")
        }
        return failure(error)
    }

    /// Validates that `path` is an existing regular file, naming `what` in the message.
    static func requireFile(_ path: String, _ what: String) throws {
        guard FileIO.exists(path) else { throw ValidationError("\(what) '\(path)' does not exist.") }
        guard !FileIO.isDirectory(path) else { throw ValidationError("\(what) '\(path)' is a folder, not a file.") }
    }

    /// Validates `--extension`: an image extension, given with or without the dot.
    static func normalisedExtension(_ value: String?) throws -> String? {
        guard var ext = value else { return nil }
        if ext.hasPrefix(".") { ext.removeFirst() }
        guard ImageFormat(fileExtension: ext) != nil else {
            let known = ImageFormat.allCases.flatMap(\.extensions).sorted().joined(separator: ", ")
            throw ValidationError("--extension must be an image extension (\(known)); got '\(value!)'.")
        }
        return ext
    }
}
