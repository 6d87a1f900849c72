import NeuralKit

/// libFuzzer entry: a safetensors file decoded from arbitrary bytes either throws or yields
/// tensors whose values all came from inside the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let (tensors, _) = try? SafeTensors.decode(bytes) else { return 0 }
    var total = 0
    // The narrowest float dtypes (F16, BF16) take 2 bytes a value.
    for tensor in tensors {
        precondition(tensor.values.count * 2 <= size, "tensor \(tensor.name) holds more values than the file has bytes")
        total += tensor.values.count * 2
    }
    precondition(total <= size, "tensors hold \(total) bytes from a \(size)-byte file")
    return 0
}
