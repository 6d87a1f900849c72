/// `dataset split`: puts each planned file into `<split>/<class>/` by hard link, copy,
/// symbolic link or move. Per file it is a few system calls, so it runs on the shared
/// parallel file pipeline like every other command.
///
/// Reruns: an output that exists is left alone (unless `overwrite`). A source that is gone
/// while its output exists was moved by an earlier, interrupted `--move`: that counts as done.
public struct SplitJob: Sendable {
    public var mode: TransferMode
    public var overwrite: Bool
    /// The image folder and the output folder. When set, a `.move` only moves a file whose
    /// folder, symlinks resolved, is inside the image folder, to a place inside the output
    /// folder: a symlinked class folder that leads elsewhere is read from, never emptied.
    public var roots: (source: ConfinedRoot, destination: ConfinedRoot)?

    public init(mode: TransferMode, overwrite: Bool = false, roots: (source: String, destination: String)? = nil) {
        self.mode = mode
        self.overwrite = overwrite
        self.roots = roots.map { (ConfinedRoot($0.source), ConfinedRoot($0.destination)) }
    }

    /// Transfers one file; `source` and `destination` are full paths (absolute and canonical
    /// for `.symlink`, whose link is made relative), below `roots` when those are set. Never
    /// throws: failures become outcomes.
    public func process(source: String, destination: String) -> ItemOutcome {
        if mode == .move, let roots {
            do {
                try roots.source.confine(source)
                try roots.destination.confine(destination)
            } catch {
                return .failed(error.description)
            }
        }
        do {
            if overwrite { return try replace(source, destination) }
            switch try FileTransfer.place(source, at: destination, mode: mode) {
            case .placed:
                return .done()
            case .sourceMissing:
                return missing(destination)
            case .destinationExists:
                // A source gone while its output is there was moved by an earlier run.
                if mode == .move && !FileIO.exists(source) { return .skipped }
                if FileTransfer.isHardLink(destination, of: source) { return try alreadyThere(source) }
                return mode == .move ? try finishMove(source, destination) : .skipped
            }
        } catch {
            return .failed(error.description)
        }
    }

    /// `--overwrite`: whatever is at the destination is replaced (atomically).
    private func replace(_ source: String, _ destination: String) throws(FileError) -> ItemOutcome {
        guard FileIO.exists(source) else { return missing(destination) }
        let occupied = FileTransfer.occupied(destination)
        if occupied && FileTransfer.isHardLink(destination, of: source) { return try alreadyThere(source) }
        switch mode {
        case .link: try FileTransfer.hardLink(source, to: destination, replacing: occupied)
        case .copy: try FileTransfer.copy(source, to: destination)
        case .move: try FileTransfer.move(source, to: destination)
        case .symlink:
            try FileTransfer.symbolicLink(to: FileTransfer.relativePath(from: FileIO.split(destination).0, to: source),
                                          at: destination, replacing: occupied)
        }
        return .done()
    }

    /// A source that is gone: done already if its output is there (an earlier move).
    private func missing(_ destination: String) -> ItemOutcome {
        FileTransfer.occupied(destination) ? .skipped : .failed("missing: the file is not there")
    }

    /// The output already is the source (a hard link of it): nothing to write; a
    /// move only has to drop the source's name.
    private func alreadyThere(_ source: String) throws(FileError) -> ItemOutcome {
        guard mode == .move else { return .skipped }
        try FileTransfer.removeName(source)
        return .done()
    }

    /// A move whose output exists while the source is still there: an earlier move across
    /// file systems stopped between writing the copy and removing the source. If the bytes
    /// match, finish it by removing the source; otherwise keep both and say so.
    private func finishMove(_ source: String, _ destination: String) throws(FileError) -> ItemOutcome {
        guard FileTransfer.isIdenticalCopy(destination, of: source) else {
            return .failed("\(destination) already exists with other contents; the source was left in place (--overwrite replaces it)")
        }
        try FileTransfer.removeName(source)
        return .done(warning: "already in the output (identical bytes); removed the source to finish the move")
    }
}
