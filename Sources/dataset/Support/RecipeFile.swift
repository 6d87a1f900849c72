import ArgumentParser
import DatasetKit
import Foundation
import Yams

/// Reading recipes from YAML, at the edge: the model and its planning live in DatasetKit.
enum RecipeFile {
    /// Reads and decodes the recipe at `path`. Its size and nesting are bounded first
    /// (`RecipeTextLimits`): the YAML parser recurses per level and would overflow the stack
    /// on a small file nested thousands deep.
    static func load(_ path: String) throws -> Recipe {
        let bytes: [UInt8]
        do {
            // Before reading: a symlink to a huge file must not be read whole first.
            var info = stat()
            let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
            guard size <= RecipeTextLimits.maximumBytes else {
                throw ValidationError("recipe \(path) is \(size) bytes; a recipe is at most \(RecipeTextLimits.maximumBytes) (is it a recipe?)")
            }
            bytes = try FileIO.read(path)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("cannot read recipe: \(error)")
        }
        guard bytes.count <= RecipeTextLimits.maximumBytes else {
            throw ValidationError("recipe \(path) is over \(RecipeTextLimits.maximumBytes) bytes (is it a recipe?)")
        }
        let depth = RecipeTextLimits.nestingBound(bytes)
        guard depth <= RecipeTextLimits.maximumNesting else {
            throw ValidationError("recipe \(path) nests too deep (indentation and brackets reach \(depth) levels; at most \(RecipeTextLimits.maximumNesting)): not read")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            return try YAMLDecoder().decode(Recipe.self, from: text)
        } catch let error as DecodingError {
            throw ValidationError("recipe \(path) is not valid: \(describe(error))")
        } catch {
            throw ValidationError("recipe \(path) is not valid YAML: \(error)")
        }
    }

    /// A cheap identity of the input's content: size and modification time (of a file, or of a
    /// folder itself), so a different download makes the recipe run again.
    static func identity(of path: String) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "missing" }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size)@\(time)"
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing `\(key.stringValue)` at \(path(context).isEmpty ? "top level" : path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
