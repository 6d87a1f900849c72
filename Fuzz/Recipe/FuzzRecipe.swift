import DatasetKit
import Yams

/// libFuzzer entry: arbitrary text read as a recipe, as `dataset run` reads one (size and
/// nesting bounded first, then YAML decoded). It may be refused; it must not crash, overflow
/// the stack or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecipe(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard size <= RecipeTextLimits.maximumBytes,
          RecipeTextLimits.nestingBound(bytes) <= RecipeTextLimits.maximumNesting else { return 0 }
    _ = try? YAMLDecoder().decode(Recipe.self, from: String(decoding: bytes, as: UTF8.self))
    return 0
}
