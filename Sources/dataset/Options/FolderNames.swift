import ArgumentParser

/// A comma list of distinct folder names (`Training,Test`), as `--splits` takes them.
struct FolderNames: ExpressibleByArgument, Equatable {
    var names: [String]

    init?(argument: String) {
        let names = argument.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.allSatisfy({ !$0.isEmpty && !$0.contains("/") && !$0.hasPrefix(".") }), Set(names).count == names.count else {
            return nil
        }
        self.names = names
    }

    var defaultValueDescription: String { names.joined(separator: ",") }
}
