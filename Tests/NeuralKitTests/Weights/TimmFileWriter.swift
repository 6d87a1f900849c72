import Foundation
@testable import NeuralKit

/// Writes timm-layout `model.safetensors` files for tests: the keys of a `TimmStateDictFixture`
/// (timm's own names, dtypes and shapes), each float tensor filled with its own pseudo-random
/// values, `num_batches_tracked` as the int64 timm writes.
enum TimmFileWriter {
    enum FloatType: String { case F32, BF16 }

    /// What a file holds: each float tensor's values in timm's layout, as stored (for BF16, the
    /// values BF16 holds exactly).
    struct Written {
        let path: String
        let values: [String: [Float]]
    }

    /// Values in [-1, 1) from `seed`, cheap enough for VGG16's 14.7 million (an LCG, not a
    /// statistician's generator); for BF16 cut to the upper 16 bits, so the file holds them exactly.
    static func values(_ count: Int, seed: UInt64, type: FloatType) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        let mask: UInt32 = type == .BF16 ? 0xFFFF_0000 : 0xFFFF_FFFF
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                out[i] = Float(bitPattern: (Float(Int64(state >> 41) - (1 << 22)) / Float(1 << 22)).bitPattern & mask)
            }
            initialized = count
        }
    }

    /// Writes `keys` (with `shapes` overriding some) to `path`; float tensors in `type`.
    static func write(_ keys: [TimmStateDictFixture.Key], to path: String, type: FloatType = .F32, seed: UInt64,
                      shapes: [String: [Int]] = [:], change: [String: (inout [Float]) -> Void] = [:]) throws -> Written {
        var header: [String] = []
        var offset = 0
        var blobs: [(String, [UInt8])] = []
        var written: [String: [Float]] = [:]
        for (index, key) in keys.enumerated() {
            let shape = shapes[key.name] ?? key.shape
            let count = shape.reduce(1, *)
            var bytes: [UInt8]
            let dtype: String
            if key.dtype == "int64" {
                dtype = "I64"
                bytes = withUnsafeBytes(of: Int64(1).littleEndian, Array.init)
            } else {
                var data = values(count, seed: seed &+ UInt64(index), type: type)
                change[key.name]?(&data)
                written[key.name] = data
                dtype = type.rawValue
                switch type {
                case .F32: bytes = data.withUnsafeBytes(Array.init)
                case .BF16: bytes = data.map { UInt16($0.bitPattern >> 16).littleEndian }.withUnsafeBytes(Array.init)
                }
            }
            header.append(#""\#(key.name)": {"dtype": "\#(dtype)", "shape": \#(shape), "data_offsets": [\#(offset), \#(offset + bytes.count)]}"#)
            offset += bytes.count
            blobs.append((key.name, bytes))
        }
        var json = Array(("{\"__metadata__\": {\"format\": \"pt\"}, " + header.joined(separator: ", ") + "}").utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.write(contentsOf: withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json)
        for (_, bytes) in blobs { try handle.write(contentsOf: bytes) }
        return Written(path: path, values: written)
    }

    /// A network tensor's timm key, by the naming rule timm's modules follow.
    static func key(of tensor: String) -> String {
        let dot = tensor.lastIndex(of: ".")!
        let suffix: String = switch tensor[tensor.index(after: dot)...] {
        case "kernel", "depthwise_kernel", "gamma": "weight"
        case "bias", "beta": "bias"
        case "moving_mean": "running_mean"
        case "moving_variance": "running_var"
        default: "?"
        }
        return tensor[..<dot] + "." + suffix
    }

    /// timm's values of a tensor in the layout NeuralKit saves it in (`saved` is its shape
    /// there), by the definitions: OIHW to HWIO, `(C, 1, kh, kw)` to `(kh, kw, C, 1)`, `(out, in)`
    /// to `(in, out)`.
    static func saved(_ values: [Float], name: String, saved s: [Int]) -> [Float] {
        var result = [Float](repeating: .nan, count: values.count)
        // Unsafe buffers: the test builds unoptimised, and ResNet50 has 23 million values.
        result.withUnsafeMutableBufferPointer { out in values.withUnsafeBufferPointer { v in
            if name.hasSuffix(".depthwise_kernel") {
                let (h, w, c) = (s[0], s[1], s[2])
                for ch in 0..<c { for y in 0..<h { for x in 0..<w { out[(y * w + x) * c + ch] = v[(ch * h + y) * w + x] } } }
            } else if name.hasSuffix(".kernel"), s.count == 4 {
                let (h, w, i, o) = (s[0], s[1], s[2], s[3])
                for oo in 0..<o { for ii in 0..<i { for y in 0..<h { for x in 0..<w {
                    out[((y * w + x) * i + ii) * o + oo] = v[((oo * i + ii) * h + y) * w + x]
                } } } }
            } else if name.hasSuffix(".kernel") {
                let (i, o) = (s[0], s[1])
                for oo in 0..<o { for ii in 0..<i { out[ii * o + oo] = v[oo * i + ii] } }
            } else {
                _ = out.update(from: v)
            }
        } }
        return result
    }
}
