import DatasetKit
import Yams

/// libFuzzer entry: arbitrary text decoded as a recipe, as `dataset run` reads one. It may be
/// refused; it must not crash, overflow the stack or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecipe(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? YAMLDecoder().decode(Recipe.self, from: text)
    return 0
}
