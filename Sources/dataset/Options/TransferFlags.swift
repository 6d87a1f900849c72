import ArgumentParser
import DatasetKit

extension TransferMode: EnumerableFlag {
    public static func help(for value: TransferMode) -> ArgumentHelp? {
        switch value {
        case .link: "Hard-link each file: no extra space (default when ROOT and OUT share a file system)."
        case .copy: "Copy each file (default when OUT is on another file system)."
        case .symlink: "Make relative symbolic links to the files (valid while ROOT and OUT stay side by side)."
        case .move: "Move the files out of ROOT, as the tutorials' shutil.move loop. Interrupted, rerun the same command to finish it."
        }
    }
}

/// `--link | --copy | --symlink | --move`: how files get from the input tree to the output.
/// At most one; without any, hard links when both trees share a file system, else copies.
struct TransferFlags: ParsableArguments {
    @Flag var mode: TransferMode?

    /// Fails when `--link` is asked across file systems (a hard link cannot cross them).
    func check(source: String, destination: String) throws {
        guard mode == .link, !Self.sameFileSystem(source, destination) else { return }
        throw ValidationError("--link: '\(source)' and '\(destination)' are on different file systems, which hard links cannot span; use --copy or --symlink.")
    }

    /// The mode to use and, when it was chosen for the user, a note saying why.
    func resolve(source: String, destination: String) -> (mode: TransferMode, note: String?) {
        if let mode { return (mode, nil) }
        if Self.sameFileSystem(source, destination) {
            return (.link, "hard-linking: input and output are on one file system (--copy for independent files)")
        }
        return (.copy, "copying: the output is on another file system than the input (--symlink to save space)")
    }

    static func sameFileSystem(_ a: String, _ b: String) -> Bool {
        guard let x = FileTransfer.device(ofNearestExisting: a), let y = FileTransfer.device(ofNearestExisting: b) else {
            return false
        }
        return x == y
    }
}
