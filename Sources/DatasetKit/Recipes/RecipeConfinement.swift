/// What a recipe may make `dataset` do: a recipe may come from someone else, so the words it
/// puts on a step's command line are checked before any step runs. Its command and option
/// names must be plain words (an option name `to=/etc` or an input `--to` would smuggle in an
/// option), every path a step writes must lie inside the work folder, and a step that moves
/// files may move only files inside it. Only the user, with `--set`, may choose otherwise.
public enum RecipeConfinement {
    /// The options whose value is a file or folder the command writes (or moves files into).
    public static let writingOptions: Set<String> = ["to", "log", "report", "quarantine", "chart"]
    /// The options that make a command move files out of its inputs (`split --move`, `clean
    /// --quarantine`): from a recipe, they may only move files of the work folder, never the
    /// user's input.
    public static let movingOptions: Set<String> = ["move", "quarantine"]

    /// Why `word` cannot be a word of a step's `command` (`labels to-multihot`), or nil.
    static func commandWordProblem(_ word: some StringProtocol) -> String? {
        isPlainWord(word) ? nil : "'\(printableName(String(word)))' is not a command name"
    }

    /// Why `name` cannot be an option name in `args`, or nil: lower-case letters, digits and
    /// dashes, starting with a letter (`rotation-range`).
    static func optionNameProblem(_ name: String) -> String? {
        isPlainWord(name) ? nil : "'\(printableName(name))' is not an option name (letters, digits and '-')"
    }

    /// Why a positional input cannot be passed on, or nil: it must not read as an option.
    static func inputProblem(_ input: String) -> String? {
        input.hasPrefix("-") ? "input '\(printableName(input))' would be read as an option" : nil
    }

    /// Why `path` (a resolved value of a writing option) is not inside `work`, or nil.
    static func writeProblem(_ path: String, work: String) -> String? {
        let prefix = work == "/" ? "/" : work + "/"
        guard path.hasPrefix(prefix) else { return "is outside the work folder \(work)" }
        return ContainedPath.problem(path.dropFirst(prefix.count)).map { "\($0) (below the work folder \(work))" }
    }

    private static func isPlainWord(_ word: some StringProtocol) -> Bool {
        guard let first = word.utf8.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return word.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
            || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") }
    }
}
