import DatasetKit
import Foundation

/// libFuzzer entry: two manifests (the input split at its first NUL byte) are decoded and checked
/// as `Manifest(path:)` reads one and, when both pass, merged as `merge-manifests` merges parts.
/// Any step may refuse; none may crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let cut = bytes.firstIndex(of: 0) ?? size
    let first = Data(bytes[0..<cut]), second = Data(bytes[min(cut + 1, size)..<size])
    let decoder = JSONDecoder()
    func read(_ data: Data) -> Manifest? {
        guard let manifest = try? decoder.decode(Manifest.self, from: data), (try? manifest.check(path: "fuzz.json")) != nil else { return nil }
        return manifest
    }
    guard let a = read(first) else { return 0 }
    let b = read(second) ?? a
    let parts = [ManifestMerger.Located(folder: "/nonexistent/a", fileName: "manifest.json", manifest: a),
                 ManifestMerger.Located(folder: "/nonexistent/b", fileName: "manifest.json", manifest: b)]
    _ = try? ManifestMerger.merge(parts)
    return 0
}
