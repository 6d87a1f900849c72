import DatasetKit
import Foundation

/// Where every line a command prints for people goes: each line passes through `printableName`
/// on its way out. Lines hold names read from the input (files, folders, labels, classes), and a
/// control character in one must not break its line, forge another (`resize: 99 done`) or send
/// escape sequences to the terminal. `--json` output does not come here: JSON escapes control
/// characters itself and keeps names exact.
enum ReportLines {
    enum Stream {
        case standardOutput, standardError
    }

    /// Writes `lines`, each escaped and ended by a newline, in one write.
    static func write(_ lines: some Sequence<String>, to stream: Stream = .standardError) {
        let text = lines.map { printableName($0) + "\n" }.joined()
        guard !text.isEmpty else { return }
        let handle: FileHandle = stream == .standardOutput ? .standardOutput : .standardError
        handle.write(Data(text.utf8))
    }

    /// Writes one line.
    static func write(_ line: String, to stream: Stream = .standardError) {
        write(CollectionOfOne(line), to: stream)
    }
}
