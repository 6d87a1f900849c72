/// One step of a recipe: a `dataset` command, its positional inputs and its options.
public struct RecipeStep: Sendable, Codable, Equatable {
    /// The step's name; its output folder is `<work>/<name>`.
    public var name: String
    /// The command, with its subcommand if it has one (`resize`, `labels to-folders`).
    public var command: String
    /// Positional arguments, which may use `$input`, `$work` and `$<earlier step>`.
    public var inputs: [String]?
    /// Options by their long name without dashes (`size: 128x128`, `horizontal-flip: true`).
    public var args: [String: RecipeValue]?
    /// Whether the command takes `--to <work>/<name>` (default true; `evaluate` does not).
    public var to: Bool?

    public init(name: String, command: String, inputs: [String]? = nil, args: [String: RecipeValue]? = nil, to: Bool? = nil) {
        self.name = name
        self.command = command
        self.inputs = inputs
        self.args = args
        self.to = to
    }

    /// Step names this step reads (`$split/train` → `split`), besides `input` and `work`.
    public var references: [String] {
        var names: [String] = []
        for text in (inputs ?? []) + (args ?? [:]).values.flatMap(\.strings) {
            guard text.hasPrefix("$") else { continue }
            let name = String(text.dropFirst().prefix { $0 != "/" })
            if name != "input" && name != "work" { names.append(name) }
        }
        return names
    }
}

/// An option's value in a recipe: YAML scalars and lists.
public enum RecipeValue: Sendable, Codable, Equatable {
    case flag(Bool)
    case text(String)
    case list([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) {
            self = .flag(bool)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected true/false, a value or a list of values")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .flag(let b): try container.encode(b)
        case .text(let t): try container.encode(t)
        case .list(let l): try container.encode(l)
        }
    }

    /// The texts inside, for reference scanning.
    var strings: [String] {
        switch self {
        case .flag: []
        case .text(let t): [t]
        case .list(let l): l
        }
    }

    /// The command-line words for option `name`: `--name value`, `--name` for true, nothing
    /// for false, `--name a,b,c` for a list (the form our list options take).
    public func arguments(for name: String) -> [String] {
        switch self {
        case .flag(true): ["--" + name]
        case .flag(false): []
        case .text(let t): ["--" + name, t]
        case .list(let l): ["--" + name, l.joined(separator: ",")]
        }
    }
}
