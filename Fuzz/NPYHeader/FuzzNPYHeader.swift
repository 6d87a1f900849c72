import DatasetKit

/// libFuzzer entry: an `.npy` header parsed from arbitrary bytes either throws or describes
/// data that lies within the bytes it came from, with sizes that did not overflow.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPYHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let (header, offset) = try? NPYHeader.parse(bytes) else { return 0 }
    precondition(offset >= 0 && offset <= size, "data offset \(offset) outside \(size) bytes")
    precondition(header.shape.allSatisfy { $0 >= 0 }, "negative dimension in \(header.shape)")
    if let count = CheckedSize.product(header.shape + [header.dtype.size]) {
        precondition(count == header.dataByteCount, "data byte count disagrees with the shape")
    }
    return 0
}
