import ArgumentParser
import Foundation

/// Checks a command line ahead of running it, for `dataset run`, which parses every step of a
/// recipe before the first runs. `parseAsRoot` calls the command's `validate()` before it looks
/// for unknown options, and a later step's `validate()` fails as long as the folder an earlier
/// step writes does not exist: such a failure is set aside, and the options looked up here.
enum CommandLineCheck {
    /// True when `error` came from a command's `validate()`. ArgumentParser wraps both kinds
    /// in one internal type without public API to tell them apart; its `parserError` case for
    /// the latter is `userValidationError`, which reflection can see.
    static func isValidationFailure(_ error: any Error) -> Bool {
        guard let parserError = Mirror(reflecting: error).children.first(where: { $0.label == "parserError" })?.value else {
            return false
        }
        return Mirror(reflecting: parserError).children.first?.label == "userValidationError"
    }

    /// The `--options` of `arguments` (a `dataset` command line without `dataset`) that its
    /// command does not take.
    static func unknownOptions(_ arguments: [String]) -> [String] {
        var command = tool
        var rest = arguments[...]
        while let word = rest.first, let sub = command.subcommands?.first(where: { $0.commandName == word }) {
            command = sub
            rest = rest.dropFirst()
        }
        let known = Set((command.arguments ?? []).flatMap { $0.names ?? [] }.filter { $0.kind == "long" }.map(\.name)) .union(["help"])
        var unknown: [String] = []
        for argument in rest {
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let name = argument.dropFirst(2).prefix { $0 != "=" }
            if !known.contains(String(name)) { unknown.append("--" + name) }
        }
        return unknown
    }

    /// The tool as ArgumentParser describes it (`--experimental-dump-help`).
    private static let tool: Command = {
        let data = Data(Dataset._dumpHelp().utf8)
        return (try? JSONDecoder().decode(ToolInfo.self, from: data))?.command ?? Command(commandName: "dataset")
    }()

    private struct ToolInfo: Decodable { var command: Command }

    private struct Command: Decodable {
        var commandName: String
        var subcommands: [Command]?
        var arguments: [Argument]?
    }

    private struct Argument: Decodable { var names: [Name]? }

    private struct Name: Decodable {
        var kind: String
        var name: String
    }
}
